import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionError, InputReader, unknownInputProblems, envNameOfInput } from '../src/index';

const readerOf = (values: Record<string, string>) => new InputReader((name) => values[name] ?? '');

function problemsOf(fn: () => void): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return [...(error as ActionError).problems];
  }
  throw new Error('expected the reader to report problems');
}

describe('InputReader', () => {
  it('reads minutes above 0 up to a bound, fractions allowed, and names every bad value', () => {
    const reader = readerOf({ quick: '0.05', long: '30', zero: '0', over: '361', word: 'soon' });
    expect(reader.minutes('quick', { max: 360 })).toBe(0.05);
    expect(reader.minutes('long', { max: 360 })).toBe(30);
    for (const name of ['zero', 'over', 'word']) reader.minutes(name, { max: 360 });
    expect(problemsOf(() => reader.done())).toEqual([
      'input "zero" is "0": must be a number of minutes above 0 and at most 360 (fractions allowed)',
      'input "over" is "361": must be a number of minutes above 0 and at most 360 (fractions allowed)',
      'input "word" is "soon": must be a number of minutes above 0 and at most 360 (fractions allowed)',
    ]);
  });

  it('reads typed values', () => {
    const reader = readerOf({
      a: ' text ',
      b: 'true',
      c: '42',
      d: 'off',
      e: 'x\ny, z',
      f: 'k=v=w\nq = r',
      g: '{"x":1}',
    });
    expect(reader.string('a')).toBe('text');
    expect(reader.boolean('b')).toBe(true);
    expect(reader.integer('c', { min: 1, max: 50 })).toBe(42);
    expect(reader.enumeration('d', ['auto', 'off'])).toBe('off');
    expect(reader.list('e')).toEqual(['x', 'y', 'z']);
    expect([...reader.keyValueMap('f')]).toEqual([
      ['k', 'v=w'],
      ['q', 'r'],
    ]);
    expect(reader.json('g')).toEqual({ x: 1 });
    expect(reader.optionalString('missing')).toBeUndefined();
    expect(reader.optionalInteger('missing')).toBeUndefined();
    reader.done();
  });

  it('reports every bad input at once, naming the input, quoting the value and stating the rule', () => {
    const reader = readerOf({
      flag: 'yes',
      count: '400',
      mode: 'sometimes',
      map: 'novalue',
      doc: '{bad',
      file: '/nope/x',
    });
    reader.boolean('flag');
    reader.integer('count', { min: 1, max: 360 });
    reader.enumeration('mode', ['auto', 'off']);
    reader.keyValueMap('map');
    reader.json('doc');
    reader.existingFile('file');
    reader.string('needed', { required: true });
    const problems = problemsOf(() => reader.done());
    expect(problems).toHaveLength(7);
    expect(problems[0]).toBe('input "flag" is "yes": must be true or false');
    expect(problems[1]).toBe('input "count" is "400": must be a whole number from 1 to 360');
    expect(problems[2]).toBe('input "mode" is "sometimes": must be one of "auto", "off"');
    expect(problems[3]).toContain('input "map": line 1 "novalue" is not of the form key=value');
    expect(problems[4]).toMatch(/^input "doc" is "\{bad": must be valid JSON/);
    expect(problems[5]).toMatch(/^input "file" is "\/nope\/x": must be the path of an existing file/);
    expect(problems[6]).toBe('input "needed" is required and was not given');
  });

  it('rejects a non-integer and accepts an existing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-'));
    const file = join(dir, 'f.json');
    writeFileSync(file, '{}');
    const reader = readerOf({ n: '2.5', file });
    expect(reader.existingFile('file')).toBe(file);
    reader.integer('n', { min: 0 });
    expect(problemsOf(() => reader.done())).toEqual(['input "n" is "2.5": must be a whole number of at least 0']);
  });

  it('splits key=value on commas only when asked', () => {
    const reader = readerOf({ images: 'a=x:1,b=y:2', env: 'A=1,2' });
    expect([...reader.keyValueMap('images', { splitCommas: true }).keys()]).toEqual(['a', 'b']);
    expect(reader.keyValueMap('env').get('A')).toBe('1,2');
  });
});

describe('unknownInputProblems', () => {
  it('names a misspelt input and suggests the closest declared one', () => {
    const env = { INPUT_CLUSTER: 'c', 'INPUT_TIMEOUT-MINUTE': '5', INPUT_ZZZZZZZZZZ: '1', PATH: '/bin' };
    const problems = unknownInputProblems(['cluster', 'timeout-minutes'], env);
    expect(problems).toEqual([
      'input "timeout-minute" is not an input of this action; did you mean "timeout-minutes"?',
      'input "zzzzzzzzzz" is not an input of this action; declared inputs are cluster, timeout-minutes',
    ]);
  });

  it('maps input names to the runner variables', () => {
    expect(envNameOfInput('output-path')).toBe('INPUT_OUTPUT-PATH');
    expect(envNameOfInput('my input')).toBe('INPUT_MY_INPUT');
  });
});
