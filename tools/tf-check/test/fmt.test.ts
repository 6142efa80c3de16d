import { describe, expect, it } from 'vitest';
import { checkFormatting } from '../fmt.ts';

function problems(text: string): string[] {
  return checkFormatting('main.tf', text).map((finding) => `${finding.line} ${finding.block}: ${finding.message}`);
}

describe('terraform fmt layout', () => {
  it('accepts fmt-formatted code, including the multi-line shapes fmt leaves unaligned', () => {
    const formatted = [
      'resource "aws_ecr_lifecycle_policy" "this" {',
      '  for_each = var.names',
      '',
      '  repository = each.key',
      '  policy = jsonencode({',
      '    rules = [',
      '      { rulePriority = 1, action = { type = "expire" } },',
      '    ]',
      '  })',
      '  tags = { Name = "${var.name}-${local.azs[count.index]}" }',
      '}',
      '',
      'locals {',
      '  widgets = [',
      '    for widget in [',
      '      { title = "a" },',
      '      ] : {',
      '      type   = "metric"',
      '      title  = widget.title',
      '      period = 300',
      '    }',
      '  ]',
      '  text = <<-EOT',
      '      kept as written',
      '  EOT',
      '}',
      '',
    ].join('\n');
    expect(problems(formatted)).toEqual([]);
  });

  it('reports wrong indentation, unaligned "=" and trailing whitespace with the block they are in', () => {
    const unformatted = [
      'variable "x" {',
      '    type = string',
      '  description = "d"',
      '  default   = "v" ',
      '}',
      '',
    ].join('\n');
    expect(problems(unformatted)).toEqual([
      '2 variable "x": indented 4 spaces; terraform fmt indents this line 2',
      '4 variable "x": trailing whitespace; terraform fmt removes it',
      '2 variable "x": "=" is at column 8; terraform fmt aligns it at column 15 with the neighbouring attributes',
      '4 variable "x": "=" is at column 13; terraform fmt aligns it at column 15 with the neighbouring attributes',
    ]);
  });
});
