/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** An error whose message is meant for the person reading the job log: what failed, why, what to do. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'ActionError';
  }

  /** Several independent problems reported together, so one run shows them all. */
  static fromProblems(heading: string, problems: readonly string[]): ActionError {
    const lines = problems.map((p) => `  - ${p}`).join('\n');
    return new ActionError(
      `${heading} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`,
      problems,
    );
  }
}
