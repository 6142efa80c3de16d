import { spawn } from 'node:child_process';
import type { TerraformSetup } from './setup.ts';

export interface RunOptions {
  /** Directory terraform runs in (its configuration). */
  cwd: string;
  /**
   * TF_DATA_DIR for this run: where `.terraform` lives. Pointing it into the setup's work dir keeps the working
   * tree clean and lets concurrent runs of one configuration stay apart. Default: `<cwd>/.terraform`.
   */
  dataDir?: string;
  /** Extra environment variables (for example TF_VAR_x), on top of `baseEnv`. */
  env?: NodeJS.ProcessEnv;
  /** Environment to start from instead of the setup's (it must keep TF_CLI_CONFIG_FILE). */
  baseEnv?: NodeJS.ProcessEnv;
  /** Kill terraform after this long; default 10 minutes. */
  timeoutMs?: number;
}

export interface RunResult {
  /** `terraform <args>` as run, for messages. */
  command: string;
  cwd: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** Runs terraform with the setup's CLI configuration; never throws for a non-zero exit (the result says it). */
export function runTerraform(setup: TerraformSetup, args: string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const command = ['terraform', ...args].join(' ');
  const env: NodeJS.ProcessEnv = { ...(options.baseEnv ?? setup.env), ...options.env };
  if (options.dataDir) env.TF_DATA_DIR = options.dataDir;
  return new Promise((resolve) => {
    const child = spawn(setup.binary, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timeoutMs = options.timeoutMs ?? 600_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    const finish = (exitCode: number, extra = ''): void => {
      clearTimeout(timer);
      resolve({
        command,
        cwd: options.cwd,
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + extra,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => finish(127, `\ncould not start ${setup.binary}: ${error.message}`));
    child.on('close', (code, signal) => {
      if (timedOut) finish(124, `\n${command} was stopped after ${timeoutMs} ms`);
      else finish(code ?? 128, signal ? `\n${command} ended by ${signal}` : '');
    });
  });
}

/** The result as one readable block: command, exit code, and whatever terraform printed. */
export function describeRun(result: RunResult): string {
  const output = [result.stdout.trim(), result.stderr.trim()].filter((text) => text !== '').join('\n');
  return `$ ${result.command}  (in ${result.cwd}, exit ${result.exitCode}, ${result.durationMs} ms)\n${output}`;
}
