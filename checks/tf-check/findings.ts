/** One broken rule: where (file, line, block) and which rule, so a reader can jump straight to it. */
export interface Finding {
  file: string;
  line: number;
  /** Block address as written, e.g. `module "vpc"`, `resource "aws_s3_bucket" "this"`, `variable "x"`. */
  block: string;
  rule: string;
  message: string;
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}: ${finding.block}: [${finding.rule}] ${finding.message}`;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}
