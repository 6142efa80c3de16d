import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The README's local run: @github/local-action runs run() from source with the committed .env.example, the toolkit
// stubbed. Every process of the run has the network taken away, so success proves the render is fully offline.
const actionDir = join(import.meta.dirname, '..');
const repo = join(actionDir, '..', '..');

describe('npx local-action actions/render-task-definition src/main.ts actions/render-task-definition/.env.example', () => {
  it('renders from source with the example inputs and no network', { timeout: 120_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'render-local-action-'));
    const output = join(work, 'api-gateway.dev.json');
    const example = readFileSync(join(actionDir, '.env.example'), 'utf8');
    expect(example).toMatch(/^INPUT_OUTPUT-PATH=.+$/m);
    const envFile = join(work, '.env');
    writeFileSync(
      envFile,
      example
        .replace(/^INPUT_OUTPUT-PATH=.*$/m, `INPUT_OUTPUT-PATH=${output}`)
        .replace(/^RUNNER_TEMP=.*$/m, `RUNNER_TEMP=${work}`),
    );
    const { stdout, stderr } = await promisify(execFile)(
      join(repo, 'node_modules', '.bin', 'local-action'),
      ['actions/render-task-definition', 'src/main.ts', envFile],
      {
        cwd: repo,
        env: {
          ...process.env,
          NODE_OPTIONS: `--import=${join(actionDir, 'test', 'fixtures', 'offline-guard.mjs')}`,
          NPM_CONFIG_UPDATE_NOTIFIER: 'false',
          GITHUB_STEP_SUMMARY: '',
        },
        maxBuffer: 1 << 24,
      },
    );

    expect(stderr).toMatch(/offline guard active in the local-action process \d+/);
    const outputsTable = stdout.slice(stdout.indexOf('Action Outputs'));
    expect(outputsTable).toContain("'family'          │ 'berth-dev-api-gateway'");
    const rendered = JSON.parse(readFileSync(output, 'utf8'));
    expect(rendered).toMatchObject({ family: 'berth-dev-api-gateway', cpu: '256', memory: '512' });
    expect(rendered.containerDefinitions[0].image).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway:local',
    );
    expect(rendered.containerDefinitions[0].environment).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
  });
});
