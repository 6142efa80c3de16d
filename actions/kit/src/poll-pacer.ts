import { isThrottlingError } from './aws';
import { errorMessage } from './errors';
import { sleep as realSleep } from './retry';

export interface PollPacerOptions {
  /** Time from the start of one poll to the start of the next while the service answers. */
  intervalMs: number;
  /**
   * Whether the first poll comes one interval after the first `poll()` call (the caller has just read the state,
   * e.g. from UpdateService's answer) or at once.
   */
  firstPoll: 'after-interval' | 'at-once';
  /** The service polled, as the log lines name it: "ECS", "CodeDeploy". */
  service: string;
  /** Prefix of the pacer's log lines, e.g. `[api-gateway]`; none when empty. */
  tag?: string;
  log: (line: string) => void;
  /**
   * Polls in a row that may fail for reasons other than throttling (after the SDK's own retries) and be tried again
   * at the next poll; the next failure is thrown. 0, the default, throws the first.
   */
  toleratedFailures?: number;
  /** The error thrown when failures run out, given the last one and the failed polls in a row; default: the last. */
  giveUp?: (error: unknown, failedPolls: number) => unknown;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** One poll's result: its value when the service answered; nothing when it throttled or failed and was tolerated. */
export type PollAnswer<T> = { answered: true; value: T } | { answered: false };

/** The longest pause between polls while the service throttles. */
export const MAX_THROTTLED_INTERVAL_MS = 60_000;

/**
 * Paces a status-poll loop: polls start one interval apart (measured start to start, so a slow poll does not push
 * the next one back), the interval doubles while the service throttles (up to a minute) and returns to normal at the
 * first answer, other failures are tried again a given number of times in a row, and deadlines are read on the same
 * clock. The pacer keeps its state between loops: a loop that stops and starts again polls one interval after the
 * last poll, not at once. Used by ecs-rollout's ECS follower and the kit's CodeDeploy follower.
 */
export class PollPacer {
  private interval: number;
  private failedPolls = 0;
  private lastPollStartedAt?: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PollPacerOptions) {
    this.interval = options.intervalMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Whether `deadline` (epoch ms) has passed on the pacer's clock. */
  isPast(deadline: number): boolean {
    return this.now() >= deadline;
  }

  /**
   * Waits until the next poll is due, then runs `call`. Throttling is logged and answered with a longer interval;
   * other errors are logged and tolerated as configured, then thrown (through `giveUp`).
   */
  async poll<T>(call: () => Promise<T>): Promise<PollAnswer<T>> {
    await this.untilDue();
    this.lastPollStartedAt = this.now();
    try {
      const value = await call();
      this.interval = this.options.intervalMs;
      this.failedPolls = 0;
      return { answered: true, value };
    } catch (error) {
      if (isThrottlingError(error)) {
        this.interval = Math.min(Math.max(this.interval * 2, this.options.intervalMs), MAX_THROTTLED_INTERVAL_MS);
        this.say(
          `${this.options.service} is throttling the status calls (${errorMessage(error)}); next poll in ${this.interval / 1000} s`,
        );
        return { answered: false };
      }
      this.failedPolls += 1;
      if (this.failedPolls > (this.options.toleratedFailures ?? 0)) {
        throw this.options.giveUp ? this.options.giveUp(error, this.failedPolls) : error;
      }
      this.say(`Polling ${this.options.service} failed (${errorMessage(error)}); trying again at the next poll`);
      return { answered: false };
    }
  }

  private async untilDue(): Promise<void> {
    if (this.lastPollStartedAt !== undefined) {
      await this.sleep(Math.max(0, this.lastPollStartedAt + this.interval - this.now()));
    } else if (this.options.firstPoll === 'after-interval') {
      await this.sleep(this.interval);
    }
  }

  private say(line: string): void {
    this.options.log(this.options.tag ? `${this.options.tag} ${line}` : line);
  }
}
