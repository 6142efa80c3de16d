import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ActionError,
  InputReader,
  loadTerraformOutputs,
  lookupTerraformOutput,
  parseTerraformOutputs,
  readTerraformOutputsSource,
} from '../src/index';
import { terraformOutputJson } from '../src/terraform-cli';
import { skipUnlessCi, terraformMissing } from '../src/testing/required-tool';
import { applyOutputsOnlyConfiguration } from '../src/testing/terraform-state';

const readerOf = (values: Record<string, string>) => new InputReader((name) => values[name] ?? '');

const missingTerraform = terraformMissing();

describe('terraform output -json from a directory, against the real terraform', () => {
  if (missingTerraform !== undefined) {
    it('needs terraform on PATH', (context) => skipUnlessCi(context, missingTerraform));
    return;
  }
  let directory: string;
  beforeAll(async () => {
    directory = await applyOutputsOnlyConfiguration({
      cluster_name: { value: 'berth-dev' },
      ecr_repository_urls: { value: { 'api-gateway': '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api' } },
      template_text: { value: 'literal ${not_interpolated} and %{ if x }' },
      database_password: { value: 's3cr3t-value', sensitive: true },
    });
  });

  it('reads every output, unwrapped, and masks the sensitive ones', async () => {
    let written = '';
    const masked = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
    const log: string[] = [];
    try {
      const source = readTerraformOutputsSource(readerOf({ 'terraform-dir': directory }));
      expect(source).toEqual({ kind: 'directory', directory, input: 'terraform-dir' });
      const outputs = await loadTerraformOutputs(source!, { log: (line) => log.push(line) });
      expect(outputs.cluster_name).toBe('berth-dev');
      expect(lookupTerraformOutput(outputs, 'ecr_repository_urls.api-gateway')).toBe(
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api',
      );
      expect(outputs.template_text).toBe('literal ${not_interpolated} and %{ if x }');
      expect(outputs.database_password).toBe('s3cr3t-value');
      expect(written.trim().split('\n')).toEqual(['::add-mask::s3cr3t-value']);
      expect(log).toEqual([`Reading Terraform outputs: terraform output -json in ${directory}`]);
    } finally {
      masked.mockRestore();
    }
  });

  it('explains a directory Terraform cannot read, with its own message', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'berth-tf-broken-'));
    writeFileSync(join(broken, 'main.tf'), 'output "x" {\n');
    const failure = await terraformOutputJson(broken).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ActionError);
    expect((failure as Error).message).toMatch(/^`terraform output -json` in .* failed \(exit code 1: Error: /);
    expect((failure as Error).message).toContain('run `terraform init` there (with the backend configuration');
  });

  it('refuses a directory without outputs: the state is not the applied one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'berth-tf-empty-'));
    const failure = await loadTerraformOutputs(
      { kind: 'directory', directory: empty, input: 'terraform-dir' },
      { log: () => undefined },
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toContain('found no outputs: the state there is empty or not the applied one');
  });
});

describe('readTerraformOutputsSource', () => {
  it('takes the file or JSON input, or nothing', () => {
    expect(readTerraformOutputsSource(readerOf({ 'terraform-outputs': '{"a":1}' }))).toEqual({
      kind: 'json',
      pathOrJson: '{"a":1}',
      input: 'terraform-outputs',
    });
    expect(readTerraformOutputsSource(readerOf({}))).toBeUndefined();
  });

  it('reports both inputs given, and a directory that does not exist', () => {
    const reader = readerOf({ 'terraform-outputs': 'outputs.json', 'terraform-dir': 'no/such/dir' });
    expect(readTerraformOutputsSource(reader)).toBeUndefined();
    expect(() => reader.done()).toThrow(ActionError);
    try {
      reader.done();
    } catch (error) {
      expect((error as ActionError).problems).toEqual([
        expect.stringContaining('input "terraform-dir" is "no/such/dir": must be the path of an existing directory'),
        expect.stringContaining('inputs "terraform-outputs" and "terraform-dir" are both given'),
      ]);
    }
  });
});

describe('parseTerraformOutputs', () => {
  it('collects the strings of sensitive outputs, nested ones too', () => {
    const parsed = parseTerraformOutputs(
      JSON.stringify({
        plain: { value: 'p', type: 'string', sensitive: false },
        creds: { value: { user: 'u', keys: ['k1', 'k2'], port: 5432 }, type: 'object', sensitive: true },
        handwritten: 'h',
      }),
      'test',
    );
    expect(parsed.outputs).toEqual({
      plain: 'p',
      creds: { user: 'u', keys: ['k1', 'k2'], port: 5432 },
      handwritten: 'h',
    });
    expect(parsed.sensitiveValues).toEqual(['u', 'k1', 'k2']);
  });
});
