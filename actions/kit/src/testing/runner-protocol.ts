import { readFileSync } from 'node:fs';

/** What a step run shows: exit code, log, outputs, job summary and annotations. */
export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error::` and `::warning::` lines, as annotations would show them. */
  errors: string[];
  warnings: string[];
}

export interface RunnerFiles {
  outputFile: string;
  summaryFile: string;
  tempDir: string;
}

/**
 * The environment the GitHub runner gives a step: GITHUB_* run context, file commands, and inputs as
 * `INPUT_<NAME>` with hyphens kept. The parent's AWS, GitHub, input and runner variables are dropped, so a test
 * cannot reach a real service by accident; `overrides` set (or, with undefined, remove) variables last.
 */
export function runnerEnvironment(
  files: RunnerFiles,
  inputs: Record<string, string>,
  overrides: Record<string, string | undefined> = {},
  workspace = process.cwd(),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(AWS_|GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    RUNNER_TEMP: files.tempDir,
    GITHUB_REPOSITORY: 'octo-org/berth-demo',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: workspace,
  });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Reads what a finished step left in its log and files. */
export function collectRun(exitCode: number, stdout: string, stderr: string, files: RunnerFiles): ActionRun {
  const lines = stdout.split('\n');
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.outputFile, 'utf8')),
    summary: readFileSync(files.summaryFile, 'utf8'),
    errors: lines.filter((l) => l.startsWith('::error')).map(decodeCommand),
    warnings: lines.filter((l) => l.startsWith('::warning')).map(decodeCommand),
  };
}

function decodeCommand(line: string): string {
  const message = line.slice(line.indexOf('::', 2) + 2);
  return message.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` records @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}
