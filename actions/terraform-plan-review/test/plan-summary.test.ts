import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanJson } from '../src/plan-json';
import { changeKind, hasChanges, summarizePlan } from '../src/plan-summary';
import { renderPlanText } from '../src/plan-text';
import { fixturePlan, prodPlatformPlan, SECOND, setup } from './real-plans';
import { skipWithoutTerraform } from '@berth/terraform-harness';

describe('plan summary of real plans', () => {
  const found = setup;
  if ('missing' in found) {
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, found));
    return;
  }
  const ready = found;
  let fixture: PlanJson;
  let prod: PlanJson;
  beforeAll(async () => {
    [fixture, prod] = await Promise.all([fixturePlan(ready), prodPlatformPlan(ready)]);
  }, 600_000);

  it('counts a replacement, an update, a destruction and a creation on top of a real state', () => {
    const summary = summarizePlan(fixture);
    expect(summary.counts).toEqual({ create: 1, update: 1, replace: 1, destroy: 1 });
    expect(summary.addresses).toEqual({
      create: ['terraform_data.new[0]'],
      update: ['terraform_data.setting'],
      replace: ['terraform_data.release'],
      destroy: ['terraform_data.retired[0]'],
    });
    expect(summary.outputsChanged).toEqual(['setting']);
    expect(hasChanges(summary)).toBe(true);
  });

  it('renders the full plan from the JSON without the sensitive value Terraform stores in clear there', () => {
    expect(JSON.stringify(fixture)).toContain(SECOND.secret);
    const text = renderPlanText(fixture);
    expect(text).not.toContain(SECOND.secret);
    expect(text).toContain('# terraform_data.release must be replaced');
    expect(text).toContain('# terraform_data.retired[0] will be destroyed');
    expect(text).toContain('~ input = "a" -> "b"');
    expect(text).toContain('+ input.secret = (sensitive value)');
    expect(text).toContain('+ input.plain = "visible"');
    expect(text).toContain('+ output = (known after apply)');
  });

  it('summarises the prod platform plan: everything created, nothing replaced or destroyed', () => {
    const summary = summarizePlan(prod);
    expect(summary.counts.create).toBeGreaterThan(100);
    expect(summary.counts.create).toBe(
      prod.resource_changes!.filter((c) => c.mode === 'managed' && c.change.actions.join() === 'create').length,
    );
    expect(summary.counts).toMatchObject({ update: 0, replace: 0, destroy: 0 });
    expect(summary.addresses.create).toContain('module.cluster.aws_ecs_cluster.this');
  });
});

describe('changeKind', () => {
  it('reads both replacement orders, and ignores reads and no-ops', () => {
    expect(changeKind(['delete', 'create'])).toBe('replace');
    expect(changeKind(['create', 'delete'])).toBe('replace');
    expect(changeKind(['update'])).toBe('update');
    expect(changeKind(['delete'])).toBe('destroy');
    expect(changeKind(['read'])).toBeUndefined();
    expect(changeKind(['no-op'])).toBeUndefined();
  });
});
