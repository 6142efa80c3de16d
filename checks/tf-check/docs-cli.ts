import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadTree } from './check.ts';
import { renderDocsSection, updateReadme } from './docs.ts';
import { formatFinding, type Finding } from './findings.ts';

/**
 * `npm run tf:docs [terraform-dir]`: rewrites the generated Inputs/Outputs section of each module's and root's
 * README.md. A missing README gets a heading only; the prose above the section is for people to write.
 */
const terraformDir = resolve(process.argv[2] ?? 'terraform');
const findings: Finding[] = [];
const tree = loadTree(terraformDir, dirname(terraformDir), findings);
if (findings.length > 0) {
  for (const finding of findings) console.error(formatFinding(finding));
  console.error('tf:docs: fix the files above first; nothing was written');
  process.exit(1);
}
let changed = 0;
for (const config of [...tree.modules, ...tree.roots]) {
  const path = join(config.dir, 'README.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# ${basename(config.dir)}\n`;
  const next = updateReadme(current, renderDocsSection(config));
  if (next === current) continue;
  writeFileSync(path, next);
  changed += 1;
  console.log(`tf:docs: updated ${config.displayDir}/README.md`);
}
console.log(`tf:docs: ${changed} README file(s) updated`);
