import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The defaults an action.yml declares, which the runner passes as if they had been typed: a test starts from these
 * and overrides what it is about.
 */
export function actionInputDefaults(actionDirectory: string): Record<string, string> {
  const metadata = parse(readFileSync(join(actionDirectory, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: string }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
    if (input.default !== undefined) defaults[name] = input.default;
  }
  return defaults;
}
