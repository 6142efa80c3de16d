import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, type StepView } from './workflow-files';

export interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the script wrote to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** The argument lists each stand-in program was called with, in order. */
  calls(program: string): string[][];
}

export interface StepRunOptions {
  /** Values of the step's `env:` (expressions are not evaluated here: give what the runner would). */
  env?: Record<string, string>;
  /** Stand-in programs put first on PATH: name → bash body (the arguments are recorded before it runs). */
  stubs?: Record<string, string>;
  cwd?: string;
}

/** A scratch directory for step runs; `dispose()` removes it. */
export function createStepRunner(): { run(step: StepView, options?: StepRunOptions): StepRun; dispose(): void } {
  const work = mkdtempSync(join(tmpdir(), 'berth-step-'));
  let count = 0;
  return {
    dispose: () => rmSync(work, { recursive: true, force: true }),
    run(step, options = {}) {
      if (step.run === undefined) throw new Error('the step has no run script');
      count += 1;
      const dir = join(work, `run-${count}`);
      const bin = join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      for (const [name, body] of Object.entries(options.stubs ?? {})) {
        const log = join(dir, `${name}.calls`);
        writeFileSync(
          join(bin, name),
          `#!/usr/bin/env bash\nprintf '%s\\0' "$@" >> '${log}'\nprintf '\\n' >> '${log}'\n${body}\n`,
        );
        chmodSync(join(bin, name), 0o755);
      }
      const outputFile = join(dir, 'github-output');
      writeFileSync(outputFile, '');
      const literalEnv = Object.fromEntries(
        Object.entries(step.env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      // The runner's own invocation of a bash step: bash --noprofile --norc -eo pipefail {0}.
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
        cwd: options.cwd ?? repoRoot,
        encoding: 'utf8',
        env: {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          HOME: dir,
          RUNNER_TEMP: dir,
          GITHUB_WORKSPACE: options.cwd ?? repoRoot,
          GITHUB_OUTPUT: outputFile,
          ...literalEnv,
          ...options.env,
        },
      });
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      return {
        status: result.status,
        stdout: result.stdout,
        stderr: result.stderr,
        outputs,
        calls(program) {
          const log = join(dir, `${program}.calls`);
          if (!existsSync(log)) return [];
          return readFileSync(log, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => line.split('\0').slice(0, -1));
        },
      };
    },
  };
}
