import { describe, expect, it } from 'vitest';
import { parseMappings } from '../src/mappings';
import { MAX_VALUE_BYTES, nameProblems, valueSizeProblem } from '../src/names';
import { parseTargets, targetLabel } from '../src/targets';

describe('nameProblems', () => {
  it('accepts GitHub-valid names', () => {
    for (const name of ['ECR_API_URL', '_PRIVATE', 'lower_case_1']) expect(nameProblems(name, 'secret')).toEqual([]);
  });

  it('names each broken rule', () => {
    expect(nameProblems('9LIVES', 'secret')).toEqual(['secret name "9LIVES" must not start with a digit']);
    expect(nameProblems('github_token', 'variable')).toEqual([
      'variable name "github_token" must not start with GITHUB_ (reserved by GitHub)',
    ]);
    expect(nameProblems('ECR URL', 'secret')).toEqual([
      'secret name "ECR URL" may only contain letters, digits and underscores',
    ]);
  });
});

describe('valueSizeProblem', () => {
  it('allows exactly 48 KB and refuses one byte more, counting UTF-8 bytes', () => {
    expect(valueSizeProblem('A', 'x'.repeat(MAX_VALUE_BYTES), 'secret')).toBeUndefined();
    expect(valueSizeProblem('A', 'é'.repeat(MAX_VALUE_BYTES / 2 + 1), 'secret')).toContain('49154 bytes');
  });
});

describe('parseMappings', () => {
  it('reads one mapping per line or comma, letting one repository feed two names', () => {
    const { mappings, problems } = parseMappings(
      'berth/api-gateway=ECR_API_URL, berth/api-gateway=API_REPO\n# comment\n\nberth/product-service=ECR_PRODUCT_URL',
      'secret',
    );
    expect(problems).toEqual([]);
    expect(mappings).toEqual([
      { source: 'berth/api-gateway', name: 'ECR_API_URL' },
      { source: 'berth/api-gateway', name: 'API_REPO' },
      { source: 'berth/product-service', name: 'ECR_PRODUCT_URL' },
    ]);
  });

  it('refuses one name fed by two sources, case-insensitively, and lines without a name', () => {
    const { problems } = parseMappings('a=ECR_URL\nb=ecr_url\nc=\nd', 'secret');
    expect(problems).toEqual([
      expect.stringContaining('line 4 "d" is not of the form key=value'),
      expect.stringContaining('secret ecr_url is given twice, from "a" and "b"'),
      expect.stringContaining('"c=" names no secret'),
    ]);
  });
});

describe('parseTargets', () => {
  it('reads every target form', () => {
    const { targets, problems } = parseTargets(
      ['repository', 'repository:other/repo', 'third/repo', 'environment:prod eu', 'organization:octo-org'],
      'octo-org/berth-demo',
    );
    expect(problems).toEqual([]);
    expect(targets.map(targetLabel)).toEqual([
      'repository octo-org/berth-demo',
      'repository other/repo',
      'repository third/repo',
      'environment "prod eu" of octo-org/berth-demo',
      'organization octo-org',
    ]);
  });

  it('reports unknown forms, duplicates and a missing GITHUB_REPOSITORY', () => {
    const { problems } = parseTargets(['org:octo', 'environment:x', 'repository:a/b', 'a/b'], undefined);
    expect(problems).toEqual([
      expect.stringContaining('"org:octo" is not a target'),
      expect.stringContaining('GITHUB_REPOSITORY is not set'),
      'input "target": repository a/b is listed twice; list it once',
    ]);
  });
});
