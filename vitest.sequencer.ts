import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that run for minutes, longest first. On a clean clone vitest knows no durations and starts the largest
 * files first; these are small files that spend their time in Terraform and its provider, so without this list they
 * start last and finish alone, leaving a core idle for minutes.
 */
export const LONGEST_FIRST = [
  'test/terraform/terraform.test.ts',
  'checks/iam/test/roles.test.ts',
  'test/terraform/secrets-and-edge.test.ts',
  'checks/terraform/test/secrets-root.test.ts',
  'actions/render-task-definition/test/local-action.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = LONGEST_FIRST.indexOf(relative(this.ctx.config.root, file.moduleId));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the other files keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
