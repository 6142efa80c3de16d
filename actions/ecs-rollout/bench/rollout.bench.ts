/**
 * Benchmark of ecs-rollout's reaction times and API budget against the fake ECS with realistic timelines.
 * Prints figures and their ratio to the issue's targets; asserts nothing. Run: npm run bench:rollout
 */
import { statSync } from 'node:fs';
import { crashLoop, healthyRollout, startFakeEcs, type FakeEcs } from '../test/fake-ecs';
import { ENTRY, runRolloutBundle as runRollout, webDefinition, writeDefinition } from '../test/harness';

const POLL_SECONDS = 5;
const MAX_FAILED_TASKS = 2;
const SERVICES = 10;
/** Size of aws-actions/amazon-ecs-deploy-task-definition's dist/index.js, as issue 13 states it. */
const OFFICIAL_BUNDLE_BYTES = 2_628_630;
/** Every action's budget since the toolkit (@actions/core) is bundled: issue 13. */
const BUNDLE_BUDGET_BYTES = 2_000_000;

async function successScenario(): Promise<void> {
  const fake = await startFakeEcs();
  const names = Array.from({ length: SERVICES }, (_, i) => `svc-${i + 1}`);
  const lines: string[] = [];
  for (const name of names) {
    const arn = fake.addTaskDefinition({ ...webDefinition('registry.example/app:1'), family: name });
    fake.addService({ name, taskDefinition: arn, desiredCount: 3 });
    // Real rollouts take minutes; these take 20-29 s so the benchmark stays short, staggered per service.
    fake.script(name, healthyRollout(20_000 + names.indexOf(name) * 1_000));
    lines.push(`${name}=${writeDefinition({ ...webDefinition('registry.example/app:2'), family: name })}`);
  }
  const run = await runRollout(fake, {
    services: lines.join('\n'),
    'poll-interval-seconds': String(POLL_SECONDS),
    'timeout-minutes': '5',
  });
  const exitedAt = Date.now();
  const lastCompleted = Math.max(...fake.marks.filter((m) => m.label === 'completed').map((m) => m.at));
  const latency = (exitedAt - lastCompleted) / 1000;
  console.log(
    `success (${SERVICES} services, poll ${POLL_SECONDS} s): status ${run.outputs.status}, exit code ${run.exitCode}`,
  );
  console.log(
    `  last deployment completed → action exited: ${latency.toFixed(2)} s ` +
      `(target ≤ ${2 * POLL_SECONDS} s, ratio ${(latency / (2 * POLL_SECONDS)).toFixed(2)})`,
  );
  printCallRate(fake, SERVICES);
  await fake.close();
}

/**
 * The verdict's delay after the first stopped task of the new deployment, for a crash (exit code: max-failed-tasks
 * applies) and for a certain failure (the image does not exist: decided at the first task). The verdict is the
 * rollback's UpdateService call.
 */
async function verdictDelayScenario(kind: 'crash' | 'missing image'): Promise<void> {
  const fake = await startFakeEcs();
  const arn = fake.addTaskDefinition(webDefinition('registry.example/web:1'));
  fake.addService({ name: 'web', taskDefinition: arn, desiredCount: 2 });
  const stop =
    kind === 'crash'
      ? { container: 'web', exitCode: 1, stoppedReason: 'Essential container in task exited' }
      : {
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ' +
            'registry.example/web:2: not found',
          stopCode: 'TaskFailedToStart',
        };
  // A crashing task runs 4 s; a pull that cannot succeed gives up after about 2 s of retries. ECS starts the next
  // task 200 ms after a stop.
  fake.script(
    'web',
    crashLoop({ lifetimeMs: kind === 'crash' ? 4_000 : 2_000, restarts: 30, stop }),
    healthyRollout(8_000),
  );
  const path = writeDefinition(webDefinition('registry.example/web:2'));
  const run = await runRollout(fake, {
    'task-definition': path,
    'poll-interval-seconds': String(POLL_SECONDS),
    'max-failed-tasks': String(MAX_FAILED_TASKS),
    'timeout-minutes': '5',
  });
  const first = fake.marks.find((m) => m.label === 'task-failed-1');
  const rollbackCall = fake.calls('UpdateService')[1];
  console.log(
    `${kind} (max-failed-tasks ${MAX_FAILED_TASKS}, poll ${POLL_SECONDS} s): status ${run.outputs.status}, exit code ${run.exitCode}`,
  );
  if (!first || !rollbackCall) {
    console.log('  the action did not roll back: see its log below');
    console.log(run.stdout);
  } else {
    const delay = (rollbackCall.at - first.at) / 1000;
    const stoppedBefore = fake.marks.filter((m) => m.label.startsWith('task-failed') && m.at <= rollbackCall.at).length;
    console.log(
      `  verdict delay after the first stopped task: ${delay.toFixed(2)} s ` +
        `(${stoppedBefore} task${stoppedBefore === 1 ? '' : 's'} of the new deployment had stopped; ` +
        `ratio to one poll interval ${(delay / POLL_SECONDS).toFixed(2)})`,
    );
  }
  await fake.close();
}

async function crashLoopScenario(): Promise<void> {
  const fake = await startFakeEcs();
  const arn = fake.addTaskDefinition(webDefinition('registry.example/web:1'));
  fake.addService({ name: 'web', taskDefinition: arn, desiredCount: 2 });
  // Each task runs 4 s, then exits 1; ECS starts the next one 1 s later.
  fake.script('web', crashLoop({ exitCode: 1, lifetimeMs: 4_000, restarts: 30 }), healthyRollout(8_000));
  const path = writeDefinition(webDefinition('registry.example/web:2'));
  const run = await runRollout(fake, {
    'task-definition': path,
    'poll-interval-seconds': String(POLL_SECONDS),
    'max-failed-tasks': String(MAX_FAILED_TASKS),
    'timeout-minutes': '5',
  });
  const exitedAt = Date.now();
  const decisive = fake.marks.find((m) => m.label === `task-failed-${MAX_FAILED_TASKS + 1}`);
  const rollbackCall = fake.calls('UpdateService')[1];
  console.log(
    `crash loop (max-failed-tasks ${MAX_FAILED_TASKS}, poll ${POLL_SECONDS} s): status ${run.outputs.status}, exit code ${run.exitCode}`,
  );
  if (!decisive || !rollbackCall) {
    console.log('  the action did not roll back after the decisive failed task: see its log below');
    console.log(run.stdout);
  } else {
    const decided = (rollbackCall.at - decisive.at) / 1000;
    console.log(
      `  failed task #${MAX_FAILED_TASKS + 1} stopped → failure decided (rollback UpdateService): ${decided.toFixed(2)} s ` +
        `(target ≤ ${POLL_SECONDS} s, ratio ${(decided / POLL_SECONDS).toFixed(2)})`,
    );
    console.log(
      `  failed task #${MAX_FAILED_TASKS + 1} stopped → action exited after its rollback: ${((exitedAt - decisive.at) / 1000).toFixed(2)} s`,
    );
    const failedBefore = fake.marks.filter((m) => m.label.startsWith('task-failed') && m.at <= rollbackCall.at).length;
    console.log(`  tasks of the failing deployment that had failed when the rollback started: ${failedBefore}`);
  }
  printCallRate(fake, 1);
  await fake.close();
}

/** The issue's budget: ECS calls per minute per 10 services while following. */
const CALLS_PER_MINUTE_TARGET = 15;

/**
 * ECS calls of the following phase: from the first UpdateService (deployments exist) to the action's last ECS
 * call, counting every call after that UpdateService except the UpdateService calls themselves (the deployments
 * and rollbacks being followed, not status calls; shown apart). The action polls one interval after the update, so
 * the phase holds one poll per interval and the average is not inflated by a fence post. The rate is per 10
 * services: one DescribeServices covers up to 10, so a batch of 1-10 services is one unit of the budget. Also
 * printed: the most calls in any 60 s of the phase (for phases shorter than a minute, all of them).
 */
function printCallRate(fake: FakeEcs, services: number): void {
  const calls = fake.calls();
  const first = calls.find((c) => c.operation === 'UpdateService');
  if (!first) return;
  const after = calls.filter((c) => c.at > first.at);
  const following = after.filter((c) => c.operation !== 'UpdateService');
  const updates = after.length - following.length;
  const seconds = (after[after.length - 1]!.at - first.at) / 1000;
  const batches = Math.ceil(services / 10);
  const per10 = following.length / (seconds / 60) / batches;
  let busiest = 0;
  for (const c of following) {
    busiest = Math.max(busiest, following.filter((d) => d.at >= c.at && d.at < c.at + 60_000).length / batches);
  }
  const byOperation = new Map<string, number>();
  for (const c of following) byOperation.set(c.operation, (byOperation.get(c.operation) ?? 0) + 1);
  console.log(
    `  ECS calls while following (${services} service${services === 1 ? '' : 's'}, ${batches} batch of ≤ 10): ` +
      `${following.length} in ${seconds.toFixed(1)} s ` +
      `(${[...byOperation].map(([op, n]) => `${op} ${n}`).join(', ')}` +
      `${updates > 0 ? `; not counted: UpdateService ${updates} (other services' updates, rollbacks)` : ''})`,
  );
  console.log(
    `    average per 10 services: ${per10.toFixed(1)}/min — target ≤ ${CALLS_PER_MINUTE_TARGET}/min, ` +
      `ratio ${(per10 / CALLS_PER_MINUTE_TARGET).toFixed(2)}${per10 <= CALLS_PER_MINUTE_TARGET ? ' (met)' : ' (over)'}`,
  );
  console.log(
    `    busiest 60 s per 10 services: ${busiest} calls — target ≤ ${CALLS_PER_MINUTE_TARGET}, ` +
      `ratio ${(busiest / CALLS_PER_MINUTE_TARGET).toFixed(2)}${busiest <= CALLS_PER_MINUTE_TARGET ? ' (met)' : ' (over)'}`,
  );
}

function bundleSize(): void {
  const bytes = statSync(ENTRY).size;
  console.log(
    `bundle dist/index.js: ${bytes} B ` +
      `(budget < ${BUNDLE_BUDGET_BYTES} B, ratio ${(bytes / BUNDLE_BUDGET_BYTES).toFixed(2)}; ` +
      `official action ${OFFICIAL_BUNDLE_BYTES} B, ratio ${(bytes / OFFICIAL_BUNDLE_BYTES).toFixed(2)})`,
  );
}

bundleSize();
await successScenario();
await crashLoopScenario();
await verdictDelayScenario('crash');
await verdictDelayScenario('missing image');
