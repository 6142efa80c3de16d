import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planStateVersion, savedPlanProblems, stateVersion } from '../src/saved-plan-check';
import { readZipEntry } from '../src/zip-entry';
import { applyAgain, planFixture, setup, type FixtureRun } from './real-plans';
import { skipWithoutTerraform } from '@berth/terraform-harness';

// terraform-apply runs mode verify-saved-plan before `terraform apply <saved plan>`: a plan from another commit,
// or from a state another apply has changed since, is refused with a message that says to re-plan.
const COMMIT = 'a'.repeat(40);
const OTHER_COMMIT = 'b'.repeat(40);

describe('savedPlanProblems on real saved plans', () => {
  const found = setup;
  if ('missing' in found) {
    it('needs terraform', (context) => skipWithoutTerraform(context, found));
    return;
  }
  const ready = found;
  let run: FixtureRun;
  beforeAll(async () => {
    run = await planFixture(ready);
  }, 120_000);
  afterAll(() => run?.remove());

  it('reads the state a saved plan was made from', () => {
    const fromPlan = planStateVersion(readFileSync(run.savedPlan), run.savedPlan);
    const pulled = stateVersion(run.stateAtPlan, 'state pull');
    expect(fromPlan).toEqual(pulled);
    expect(fromPlan?.lineage).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets the plan through when commit and state are the ones it was made from', () => {
    const problems = savedPlanProblems({
      environment: 'dev',
      metadata: { commit: COMMIT, environment: 'dev' },
      applyingCommit: COMMIT,
      planState: planStateVersion(readFileSync(run.savedPlan), run.savedPlan),
      currentState: stateVersion(run.stateAtPlan, 'state pull'),
    });
    expect(problems).toEqual([]);
  });

  it('a plan made from another commit is refused, saying to re-plan', () => {
    const problems = savedPlanProblems({
      environment: 'dev',
      metadata: { commit: OTHER_COMMIT, environment: 'dev' },
      applyingCommit: COMMIT,
      planState: planStateVersion(readFileSync(run.savedPlan), run.savedPlan),
      currentState: stateVersion(run.stateAtPlan, 'state pull'),
    });
    expect(problems).toEqual([
      `The saved plan was made from commit ${OTHER_COMMIT}, but this run applies ${COMMIT}. ` +
        'Re-plan: run terraform-apply again for this commit and approve the new plan.',
    ]);
  });

  it('a plan older than the state (another apply ran since) is refused, naming both serials', async () => {
    const planState = planStateVersion(readFileSync(run.savedPlan), run.savedPlan)!;
    const current = stateVersion(await applyAgain(ready, run), 'state pull')!;
    expect(current.serial).toBeGreaterThan(planState.serial);
    const problems = savedPlanProblems({
      environment: 'dev',
      metadata: { commit: COMMIT, environment: 'dev' },
      applyingCommit: COMMIT,
      planState,
      currentState: current,
    });
    expect(problems).toEqual([
      `The saved plan was made from state serial ${planState.serial}, but dev's state is at serial ${current.serial}: ` +
        'it changed since the plan. Re-plan: run terraform-apply again for this commit and approve the new plan.',
    ]);
  }, 120_000);
});

describe('savedPlanProblems', () => {
  const state = { lineage: '47bf6129-f172-1afe-9099-bb0f0c13a2f0', serial: 4 };

  it('a plan from another lineage (state re-created) or for another environment is refused, all problems at once', () => {
    const problems = savedPlanProblems({
      environment: 'prod',
      metadata: { commit: COMMIT, environment: 'dev' },
      applyingCommit: COMMIT,
      planState: state,
      currentState: { lineage: 'other', serial: 4 },
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^The saved plan is for dev, not prod\. Re-plan/);
    expect(problems[1]).toMatch(/lineage 47bf6129-f172-1afe-9099-bb0f0c13a2f0, but prod's state is lineage other/);
  });

  it('a plan made with no state is refused once state exists', () => {
    const problems = savedPlanProblems({
      environment: 'dev',
      metadata: { commit: COMMIT, environment: 'dev' },
      applyingCommit: COMMIT,
      planState: undefined,
      currentState: state,
    });
    expect(problems[0]).toMatch(/made with no state, but dev has state now \(serial 4\)/);
  });

  it('reads an empty state pull (first apply) as no state, and refuses what is not a state or a plan', () => {
    expect(stateVersion('', 'x')).toBeUndefined();
    expect(stateVersion('{"version":4,"serial":0,"lineage":""}', 'x')).toBeUndefined();
    expect(() => stateVersion('{"serial":1}', 'pulled.json')).toThrow(
      'pulled.json has no lineage and serial: give the output of `terraform state pull`',
    );
    expect(() => planStateVersion(Buffer.from('not a zip'), 'plan.tfplan')).toThrow(
      /^plan\.tfplan is not a saved Terraform plan \(not a zip archive/,
    );
  });

  it('reads a stored zip entry and says when an entry is missing', () => {
    // A zip with one stored file "a" holding "hi", as `zip -0` writes it.
    const local = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]),
      Buffer.from('ahi'),
    ]);
    const central = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x01, 0x02, 20, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([
        0xac, 0x2a, 0x93, 0xd8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      ]),
      Buffer.from('a'),
    ]);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(local.length, 16);
    const zip = Buffer.concat([local, central, end]);
    expect(readZipEntry(zip, 'a')?.toString()).toBe('hi');
    expect(readZipEntry(zip, 'b')).toBeUndefined();
  });
});
