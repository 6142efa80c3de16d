import { describe, expect, it } from 'vitest';
import { DOCS_BEGIN, DOCS_END, updateReadme } from '../docs.ts';
import { parseHcl } from '../hcl.ts';

describe('README generation', () => {
  it('replaces only the generated section and appends one when missing', () => {
    const section = `${DOCS_BEGIN}\nnew\n${DOCS_END}`;
    expect(updateReadme(`# m\n\nprose\n\n${DOCS_BEGIN}\nold\n${DOCS_END}\ntrailer\n`, section)).toBe(
      `# m\n\nprose\n\n${section}\ntrailer\n`,
    );
    expect(updateReadme('# m\n', section)).toBe(`# m\n\n${section}\n`);
  });
});

describe('HCL parsing', () => {
  it('represents expressions as ${...} text and blocks as label maps of body lists', () => {
    const parsed = parseHcl('resource "a" "b" {\n  x = var.y\n  n = 2\n}\n');
    expect(parsed).toEqual({ ok: true, body: { resource: { a: { b: [{ x: '${var.y}', n: 2 }] } } } });
  });

  it('reports a file that does not parse', () => {
    expect(parseHcl('b {\n  c = \n}\n')).toEqual({ ok: false });
  });
});
