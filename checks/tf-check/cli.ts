import { resolve } from 'node:path';
import { checkTerraform } from './check.ts';
import { formatFinding } from './findings.ts';

/** `npm run tf:check [terraform-dir]`: static checks of the Terraform tree; exit code 1 when any rule is broken. */
const terraformDir = resolve(process.argv[2] ?? 'terraform');
const started = performance.now();
const findings = checkTerraform({ terraformDir });
const elapsed = Math.round(performance.now() - started);
for (const finding of findings) console.error(formatFinding(finding));
if (findings.length > 0) {
  console.error(`tf:check: ${findings.length} problem(s) in ${terraformDir} (${elapsed} ms)`);
  process.exitCode = 1;
} else {
  console.log(`tf:check: ${terraformDir} passes every rule (${elapsed} ms)`);
}
