/**
 * Each action's committed bundle: its size against the 2,000,000-byte budget, and its start-up time, from process
 * start to the first line it logs (a run with no inputs, whose first line reports them), against bare Node.
 * render-task-definition is also timed end to end with and without tfvars, the only case that loads its hcl2-parser
 * chunk. Prints figures and ratios; asserts nothing. Run: npm run bench:actions
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listActions } from '../../bundle.mjs';
import { runnerEnvironment } from '../src/testing/runner-protocol';

const repo = join(import.meta.dirname, '..', '..', '..');
const BUDGET_BYTES = 2_000_000;
const RUNS = 9;

interface Timing {
  firstLineMs: number;
  exitMs: number;
}

/** One process: milliseconds to the first byte on stdout and to exit. */
function time(args: string[], env: Record<string, string>, cwd = repo): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let firstLineMs: number | undefined;
    child.stdout.on('data', () => (firstLineMs ??= elapsed()));
    child.on('error', reject);
    child.on('close', () => resolve({ firstLineMs: firstLineMs ?? Number.NaN, exitMs: elapsed() }));
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function medianOf(args: string[], env: Record<string, string>): Promise<Timing> {
  const timings: Timing[] = [];
  for (let i = 0; i < RUNS; i++) timings.push(await time(args, env));
  return {
    firstLineMs: median(timings.map((t) => t.firstLineMs)),
    exitMs: median(timings.map((t) => t.exitMs)),
  };
}

function runnerEnv(inputs: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  const files = { outputFile: join(dir, 'output'), summaryFile: join(dir, 'summary'), tempDir: dir };
  writeFileSync(files.outputFile, '');
  writeFileSync(files.summaryFile, '');
  return runnerEnvironment(files, inputs, { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' }, repo);
}

const node = await medianOf(['-e', 'console.log("ready")'], runnerEnv({}));
console.log(`bare node, first line: ${node.firstLineMs.toFixed(0)} ms (median of ${RUNS})`);
console.log('');
console.log('action                  index.js B  budget  other files B  first line ms  vs node');
for (const action of listActions()) {
  const dist = join(repo, 'actions', action, 'dist');
  const index = statSync(join(dist, 'index.js')).size;
  const chunks = readdirSync(dist)
    .filter((file) => /^\d+\.index\.js$/.test(file))
    .reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
  const start = await medianOf([join(dist, 'index.js')], runnerEnv({}));
  console.log(
    `${action.padEnd(22)} ${String(index).padStart(11)}  ${(index / BUDGET_BYTES).toFixed(2).padStart(6)}` +
      `  ${String(chunks).padStart(13)}  ${start.firstLineMs.toFixed(0).padStart(13)}  ${(start.firstLineMs / node.firstLineMs).toFixed(2).padStart(7)}`,
  );
}

// A full render, with and without tfvars: only the first loads the hcl2-parser chunk.
const out = mkdtempSync(join(tmpdir(), 'berth-bench-render-'));
// The same template with the values tfvars would give written in, for an environment without tfvars.
const templateWithoutTfvars = join(out, 'task-definition.json');
writeFileSync(
  templateWithoutTfvars,
  readFileSync(join(repo, 'services/api-gateway/task-definition.json'), 'utf8')
    .replaceAll('${project}', 'berth')
    .replace('${service_cpu.api-gateway}', '256')
    .replace('${service_memory.api-gateway}', '512'),
);
const renderInputs = {
  template: 'services/api-gateway/task-definition.json',
  environment: 'dev',
  'terraform-outputs': 'actions/render-task-definition/examples/terraform-outputs.dev.json',
  images: 'api-gateway=123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway:bench',
  'pin-image-digests': 'false',
  'output-path': join(out, 'rendered.json'),
};
const entry = join(repo, 'actions/render-task-definition/dist/index.js');
const withTfvars = await medianOf([entry], runnerEnv({ ...renderInputs, tfvars: 'terraform/environments/dev.tfvars' }));
const withoutTfvars = await medianOf(
  [entry],
  runnerEnv({
    ...renderInputs,
    template: templateWithoutTfvars,
    tfvars: '',
    environment: 'bench',
  }),
);
console.log('');
console.log(`render-task-definition, whole run without tfvars: ${withoutTfvars.exitMs.toFixed(0)} ms`);
console.log(
  `render-task-definition, whole run with tfvars (loads the hcl2-parser chunk): ${withTfvars.exitMs.toFixed(0)} ms ` +
    `(ratio ${(withTfvars.exitMs / withoutTfvars.exitMs).toFixed(2)})`,
);
