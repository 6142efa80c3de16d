import { describe, expect, it } from 'vitest';
import type { PlanJson } from '@berth/terraform-harness';
import { parseOptions, runIamPolicies } from '../iam-policies.ts';

const valid = [
  '--environment',
  'dev',
  '--account-id',
  '123456789012',
  '--region',
  'eu-west-1',
  '--repository',
  'acme/berth',
];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text: string) => void out.push(text), stderr: (text: string) => void err.push(text) };
}

describe('iam:policies options', () => {
  it('reads all four, as --flag value or --flag=value', () => {
    expect(parseOptions(valid)).toEqual({
      kind: 'options',
      options: { environment: 'dev', accountId: '123456789012', region: 'eu-west-1', repository: 'acme/berth' },
    });
    expect(
      parseOptions(['--environment=prod', '--account-id=123456789012', '--region=us-east-1', '--repository=a/b']),
    ).toMatchObject({
      kind: 'options',
      options: { environment: 'prod', region: 'us-east-1' },
    });
  });

  it('reports every problem at once', () => {
    const parsed = parseOptions([
      '--environment',
      'qa',
      '--account-id',
      '12345',
      '--region',
      'Europe',
      'stray',
      '--colour',
      'x',
    ]);
    expect(parsed.kind).toBe('problems');
    const problems = parsed.kind === 'problems' ? parsed.problems : [];
    expect(problems).toEqual([
      'unexpected argument "stray": every value follows its option, e.g. --environment dev',
      'unknown option --colour; the options are --environment, --account-id, --region, --repository',
      'unexpected argument "x": every value follows its option, e.g. --environment dev',
      '--repository is required',
      '--environment "qa" is not one of dev, staging, prod',
      '--account-id "12345" is not a 12-digit AWS account id',
      '--region "Europe" is not an AWS region code such as eu-west-1',
    ]);
  });

  it('notices a flag without its value and a flag given twice', () => {
    const parsed = parseOptions([...valid, '--environment', 'prod', '--region']);
    expect(parsed).toEqual({ kind: 'problems', problems: ['--environment is given twice', '--region needs a value'] });
  });
});

describe('runIamPolicies', () => {
  it('prints the usage for --help', async () => {
    const io = capture();
    const code = await runIamPolicies(['--help'], {
      ...io,
      planStorage: () => Promise.reject(new Error('not called')),
    });
    expect(code).toBe(0);
    expect(io.out.join('')).toContain('Usage: npm run -s iam:policies');
  });

  it('exits 2 with the problems and the usage, and plans nothing, for bad options', async () => {
    const io = capture();
    let planned = false;
    const code = await runIamPolicies(['--environment', 'qa'], {
      ...io,
      planStorage: async () => {
        planned = true;
        return {} as PlanJson;
      },
    });
    expect(code).toBe(2);
    expect(planned).toBe(false);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toMatch(/--environment "qa" is not one of dev, staging, prod[\s\S]*Usage:/);
  });

  it('exits 1, printing nothing on stdout, when planning fails', async () => {
    const io = capture();
    const code = await runIamPolicies(valid, {
      ...io,
      planStorage: () => Promise.reject(new Error('terraform is not on PATH: install Terraform 1.10 or newer')),
    });
    expect(code).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toContain('could not render the roles of dev: terraform is not on PATH');
  });

  it('plans with the given account, region and repository', async () => {
    const io = capture();
    const asked: unknown[] = [];
    await runIamPolicies(valid, {
      ...io,
      planStorage: async (inputs) => {
        asked.push(inputs);
        throw new Error('stop here');
      },
    });
    expect(asked).toEqual([
      { environment: 'dev', accountId: '123456789012', region: 'eu-west-1', repository: 'acme/berth' },
    ]);
  });
});
