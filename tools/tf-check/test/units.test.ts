import { describe, expect, it } from 'vitest';
import { DOCS_BEGIN, DOCS_END, updateReadme } from '../docs.ts';
import { locateSyntaxError, parseHcl } from '../hcl.ts';
import { parseTypeConstraint, typeMismatch } from '../types.ts';

describe('type constraints', () => {
  it('parses simple and collection types and leaves objects opaque to element checks', () => {
    expect(parseTypeConstraint('map(list(number))')).toEqual({
      kind: 'map',
      element: { kind: 'list', element: { kind: 'number' } },
    });
    expect(parseTypeConstraint('object({ a = string })')).toEqual({ kind: 'object', text: 'object({a=string})' });
  });

  it('reports the path of the first mismatching element', () => {
    const type = parseTypeConstraint('map(list(number))');
    expect(typeMismatch({ a: [1, 2], b: [3, 'x'] }, type, 'v')).toBe('v["b"][1] must be a number, got string "x"');
    expect(typeMismatch({ a: [1] }, type, 'v')).toBeUndefined();
  });

  it('accepts null for any type and rejects expressions in tfvars', () => {
    expect(typeMismatch(null, parseTypeConstraint('number'), 'v')).toBeUndefined();
    expect(typeMismatch('${var.x}', parseTypeConstraint('string'), 'v')).toBe(
      'v is an expression; tfvars files hold literal values only',
    );
  });
});

describe('README generation', () => {
  it('replaces only the generated section and appends one when missing', () => {
    const section = `${DOCS_BEGIN}\nnew\n${DOCS_END}`;
    expect(updateReadme(`# m\n\nprose\n\n${DOCS_BEGIN}\nold\n${DOCS_END}\ntrailer\n`, section)).toBe(
      `# m\n\nprose\n\n${section}\ntrailer\n`,
    );
    expect(updateReadme('# m\n', section)).toBe(`# m\n\n${section}\n`);
  });
});

describe('HCL parsing', () => {
  it('represents expressions as ${...} text and blocks as label maps of body lists', () => {
    const parsed = parseHcl('resource "a" "b" {\n  x = var.y\n  n = 2\n}\n');
    expect(parsed).toEqual({ ok: true, body: { resource: { a: { b: [{ x: '${var.y}', n: 2 }] } } } });
  });

  it('locates the first broken top-level block', () => {
    expect(locateSyntaxError('a = 1\n\nb {\n  c = \n}\n')).toBe(3);
  });
});
