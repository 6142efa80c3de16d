/** GitHub's limit on one secret or configuration variable value. */
export const MAX_VALUE_BYTES = 48 * 1024;

/**
 * Problems with a secret or variable name under GitHub's rules: letters, digits and underscores only,
 * not starting with a digit, no GITHUB_ prefix. Empty when the name is valid.
 */
export function nameProblems(name: string, noun: string): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    problems.push(`${noun} name "${name}" may only contain letters, digits and underscores`);
  }
  if (/^[0-9]/.test(name)) problems.push(`${noun} name "${name}" must not start with a digit`);
  if (/^GITHUB_/i.test(name)) problems.push(`${noun} name "${name}" must not start with GITHUB_ (reserved by GitHub)`);
  return problems;
}

/** A problem when a value is over GitHub's size limit, else undefined. Never quotes the value. */
export function valueSizeProblem(name: string, value: string, noun: string): string | undefined {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes <= MAX_VALUE_BYTES) return undefined;
  return `${noun} ${name}: the value is ${bytes} bytes, over GitHub's limit of ${MAX_VALUE_BYTES} bytes (48 KB) per value`;
}
