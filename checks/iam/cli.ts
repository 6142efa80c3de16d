import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareTerraform } from '@berth/terraform-harness';
import { runIamPolicies } from './iam-policies.ts';
import { planStorage } from './storage-plan.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run -s iam:policies -- --environment E --account-id A --region R --repository OWNER/NAME`. */
process.exitCode = await runIamPolicies(process.argv.slice(2), {
  async planStorage(inputs) {
    const setup = prepareTerraform();
    if ('missing' in setup) throw new Error(setup.missing);
    try {
      return await planStorage(setup, repoRoot, inputs);
    } finally {
      rmSync(setup.workDir, { recursive: true, force: true });
    }
  },
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
