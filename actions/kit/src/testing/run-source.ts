import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRun, runnerEnvironment, type ActionRun, type RunnerFiles } from './runner-protocol';

export interface SourceRunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/**
 * One summary and one output file per test process: @actions/core resolves the summary file once and keeps it,
 * so every run in this process must use the same path (emptied before each run).
 */
const processDir = join(tmpdir(), `berth-source-run-${process.pid}`);

/** The job summary file of this test process; a test writing a summary without runActionFromSource uses it too. */
export function processSummaryFile(): string {
  mkdirSync(processDir, { recursive: true });
  return join(processDir, 'summary');
}

/**
 * Runs an action's `run()` from source in this process as the runner would run its bundle: the same environment
 * (inputs, GITHUB_* context, file commands), its log captured from standard output and error, and the exit code
 * it sets. Everything is restored afterwards, so tests can inject clients and use fake timers.
 */
export async function runActionFromSource(run: () => Promise<void>, options: SourceRunOptions): Promise<ActionRun> {
  const files: RunnerFiles = {
    summaryFile: processSummaryFile(),
    outputFile: join(processDir, 'output'),
    tempDir: mkdtempSync(join(processDir, 'temp-')),
  };
  writeFileSync(files.outputFile, '');
  writeFileSync(files.summaryFile, '');
  const cwd = process.cwd();
  const env = runnerEnvironment(files, options.inputs, options.env, options.cwd ?? cwd);
  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  const savedStdout = process.stdout.write;
  const savedStderr = process.stderr.write;
  let stdout = '';
  let stderr = '';
  replaceEnvironment(env);
  process.exitCode = undefined;
  if (options.cwd) process.chdir(options.cwd);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  let exitCode: number;
  try {
    await run();
  } finally {
    exitCode = Number(process.exitCode ?? 0);
    process.stdout.write = savedStdout;
    process.stderr.write = savedStderr;
    process.exitCode = savedExitCode;
    process.chdir(cwd);
    replaceEnvironment(savedEnv);
  }
  return collectRun(exitCode, stdout, stderr, files);
}

/** Changes process.env in place: libraries that hold the object keep seeing the current values. */
function replaceEnvironment(next: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in next)) delete process.env[key];
  for (const [key, value] of Object.entries(next)) if (value !== undefined) process.env[key] = value;
}
