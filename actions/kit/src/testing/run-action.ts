import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRun, runnerEnvironment, type ActionRun, type RunnerFiles } from './runner-protocol';

export { parseOutputFile, type ActionRun } from './runner-protocol';

export interface RunActionOptions {
  /** Path of the bundled `dist/index.js`. */
  entry: string;
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Runs a bundled action exactly as the GitHub runner does: `node dist/index.js` in a process of its own, inputs
 * as `INPUT_<NAME>`, outputs and summary through GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. Each action keeps one
 * such smoke test; its behaviour is tested from source with `runActionFromSource`.
 */
export async function runBundledAction(options: RunActionOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-action-'));
  const files: RunnerFiles = { outputFile: join(dir, 'output'), summaryFile: join(dir, 'summary'), tempDir: dir };
  writeFileSync(files.outputFile, '');
  writeFileSync(files.summaryFile, '');
  const env = runnerEnvironment(files, options.inputs, options.env, options.cwd ?? process.cwd());
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    const { exitCode, stdout, stderr } = await new Promise<{ exitCode: number; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, [options.entry], {
          cwd: options.cwd,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`action ${options.entry} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr}`));
        }, timeoutMs);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ exitCode: code ?? -1, stdout, stderr });
        });
      },
    );
    return collectRun(exitCode, stdout, stderr, files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
