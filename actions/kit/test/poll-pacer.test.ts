import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollPacer, type PollPacerOptions } from '../src/poll-pacer';
import { FAKE_CLOCKS, settleOnFakeTimers } from '../src/testing/virtual-time';

const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('PollPacer on fake timers', () => {
  let start: number;
  let log: string[];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: [...FAKE_CLOCKS] });
    start = Date.now();
    log = [];
  });
  afterEach(() => vi.useRealTimers());

  function pacer(options: Partial<PollPacerOptions> = {}): PollPacer {
    return new PollPacer({
      intervalMs: 1000,
      firstPoll: 'after-interval',
      service: 'ECS',
      log: (line) => log.push(line),
      ...options,
    });
  }

  /** Runs `polls` polls whose calls answer (or throw) as `answers` says; returns when each call started, from start. */
  async function pollTimes(
    subject: PollPacer,
    answers: ((elapsed: number) => Promise<unknown>)[],
  ): Promise<{ times: number[]; answered: boolean[] }> {
    const times: number[] = [];
    const answered: boolean[] = [];
    await settleOnFakeTimers(
      (async () => {
        for (const answer of answers) {
          const result = await subject.poll(async () => {
            times.push(Date.now() - start);
            return answer(Date.now() - start);
          });
          answered.push(result.answered);
        }
      })(),
    );
    return { times, answered };
  }

  const answer = (): Promise<string> => Promise.resolve('ok');
  /** A call that takes `ms` of (fake) time before it answers. */
  const slow = (ms: number) => (): Promise<string> => new Promise((resolve) => setTimeout(() => resolve('ok'), ms));
  const fail = (error: () => Error) => (): Promise<never> => Promise.reject(error());

  it('waits one interval before the first poll when asked, then starts polls one interval apart, start to start', async () => {
    const { times } = await pollTimes(pacer(), [slow(300), slow(300), answer]);
    expect(times).toEqual([1000, 2000, 3000]);
  });

  it('polls at once first when asked, and at once again when a poll took longer than the interval', async () => {
    const { times } = await pollTimes(pacer({ firstPoll: 'at-once' }), [slow(1500), answer, answer]);
    expect(times).toEqual([0, 1500, 2500]);
  });

  it('doubles the interval while the service throttles, up to a minute, and returns to it at the first answer', async () => {
    const answers = [...Array.from({ length: 8 }, () => fail(throttled)), answer, answer];
    const { times, answered } = await pollTimes(pacer({ firstPoll: 'at-once', tag: '[web]' }), answers);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 1000]);
    expect(answered).toEqual([false, false, false, false, false, false, false, false, true, true]);
    expect(log[0]).toBe('[web] ECS is throttling the status calls (Rate exceeded); next poll in 2 s');
    expect(log.at(-1)).toBe('[web] ECS is throttling the status calls (Rate exceeded); next poll in 60 s');
    expect(log).toHaveLength(8);
  });

  it('tries other failures again as many polls in a row as tolerated, then throws what giveUp makes of the last', async () => {
    const failure = (): Error => new Error('socket hang up');
    const subject = pacer({
      toleratedFailures: 2,
      giveUp: (error, failedPolls) => new Error(`gave up after ${failedPolls}: ${(error as Error).message}`),
    });
    // An answer resets the count; throttling in between neither counts nor resets it.
    const recovered = await pollTimes(subject, [fail(failure), fail(failure), answer, fail(failure), fail(throttled)]);
    expect(recovered.answered).toEqual([false, false, true, false, false]);
    expect(log.filter((l) => l === 'Polling ECS failed (socket hang up); trying again at the next poll')).toHaveLength(
      3,
    );
    await expect(pollTimes(subject, [fail(failure), fail(failure)])).rejects.toThrow('gave up after 3: socket hang up');
  });

  it('throws the first failure that is not throttling when none is tolerated', async () => {
    await expect(pollTimes(pacer({ firstPoll: 'at-once' }), [fail(() => new Error('AccessDenied'))])).rejects.toThrow(
      /^AccessDenied$/,
    );
  });

  it('keeps its rhythm when a loop stops and another starts: one interval after the last poll, or at once', async () => {
    const subject = pacer();
    expect((await pollTimes(subject, [answer])).times).toEqual([1000]);
    await settleOnFakeTimers(new Promise((resolve) => setTimeout(resolve, 300)));
    expect((await pollTimes(subject, [answer])).times).toEqual([2000]);
    await settleOnFakeTimers(new Promise((resolve) => setTimeout(resolve, 5000)));
    expect((await pollTimes(subject, [answer])).times).toEqual([7000]);
  });

  it('reads deadlines on its clock', async () => {
    const subject = pacer({ firstPoll: 'at-once' });
    expect(subject.isPast(start + 1000)).toBe(false);
    await pollTimes(subject, [slow(1000)]);
    expect(subject.isPast(start + 1000)).toBe(true);
  });
});
