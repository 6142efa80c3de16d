import * as core from '@actions/core';
import { ActionError, errorMessage } from './errors';

/**
 * Runs an action's main function and turns any error into a failed step with a readable message.
 * Every problem of an ActionError also becomes an error annotation.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ActionError && error.problems.length > 1) {
      for (const problem of error.problems) core.error(problem);
    }
    core.setFailed(errorMessage(error));
  }
}
