import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ActionError,
  errorMessage,
  escapeCell,
  lookupTerraformOutput,
  markdownTable,
  parseList,
  readTerraformOutputs,
} from '../src/index';
import { parseOutputFile } from '../src/testing/run-action';

describe('terraform outputs', () => {
  const json = JSON.stringify({
    cluster_name: { value: 'berth-dev', type: 'string', sensitive: false },
    urls: { value: { 'api-gateway': 'x.dkr/api' }, type: ['map', 'string'], sensitive: false },
  });

  it('reads JSON text or a file and unwraps values', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kit-')), 'out.json');
    writeFileSync(file, json);
    for (const source of [json, file]) {
      const outputs = readTerraformOutputs(source);
      expect(outputs.cluster_name).toBe('berth-dev');
      expect(lookupTerraformOutput(outputs, 'urls.api-gateway')).toBe('x.dkr/api');
      expect(lookupTerraformOutput(outputs, 'urls.nope')).toBeUndefined();
    }
  });

  it('explains a missing file and bad JSON', () => {
    expect(() => readTerraformOutputs('missing.json')).toThrow(/neither JSON nor an existing file/);
    expect(() => readTerraformOutputs('{oops')).toThrow(ActionError);
  });
});

describe('small helpers', () => {
  it('parses lists and Markdown tables safely', () => {
    expect(parseList(' a, b\n\nc ,')).toEqual(['a', 'b', 'c']);
    expect(escapeCell('a|b\nc')).toBe('a\\|b<br>c');
    expect(markdownTable(['A', 'B'], [['1', 'x|y']])).toBe('| A | B |\n| --- | --- |\n| 1 | x\\|y |');
    expect(errorMessage(new Error('e'))).toBe('e');
    expect(errorMessage({ code: 1 })).toBe('{"code":1}');
    expect(errorMessage('s')).toBe('s');
  });

  it('parses the runner output file, heredoc and plain', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kit-')), 'o');
    writeFileSync(file, 'a<<ghadelimiter_1\nline1\nline2\nghadelimiter_1\nb=plain\n');
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({ a: 'line1\nline2', b: 'plain' });
  });
});
