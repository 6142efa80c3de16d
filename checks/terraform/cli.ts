import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryChecks, startChecks, summarise } from './checks.ts';
import { prepareTerraform } from './setup.ts';

/**
 * `npm run tf:test`: the Terraform checks of `npm test` on their own (fmt and every `terraform test`
 * suite, each validating its root, platform once per environment), two terraform processes at a time. Exit 1 on any failure.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const setup = prepareTerraform();
if ('missing' in setup) {
  console.error(`tf:test: cannot run Terraform: ${setup.missing}`);
  process.exit(1);
}
const started = performance.now();
const checks = repositoryChecks(repoRoot);
const { outcomes, close } = startChecks(setup, checks);
let failed = 0;
for (const check of checks) {
  const outcome = await outcomes.get(check.name)!;
  console.log(summarise(outcome));
  if (!outcome.ok) {
    failed += 1;
    console.error(`\n${outcome.report}\n`);
  }
}
await close();
rmSync(setup.workDir, { recursive: true, force: true });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `tf:test: ${checks.length - failed} of ${checks.length} checks passed in ${seconds} s (terraform ${setup.binary}, providers from ${setup.mirror})`,
);
process.exitCode = failed > 0 ? 1 : 0;
