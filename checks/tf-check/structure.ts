import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { blocks, isBody, isExpression, parseHcl, type HclBody } from './hcl.ts';
import { escapeRegExp, lineIn, type Configuration } from './config.ts';
import type { Finding } from './findings.ts';

export const MODULE_FILES = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md'];
export const MINIMUM_TERRAFORM = [1, 10] as const;
/**
 * Every configuration admits the same AWS provider versions: 5.100 (the version the lock files record and the
 * offline mirror holds) up to, not including, 7.0. The code avoids attributes that exist in only one of 5.x and 6.x.
 */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.100, < 7.0';

/** Modules keep the standard layout so readers (and tf:docs) know where everything is. */
export function checkModuleFiles(config: Configuration, findings: Finding[]): void {
  for (const file of MODULE_FILES) {
    if (existsSync(join(config.dir, file))) continue;
    findings.push({
      file: join(config.displayDir, file),
      line: 1,
      block: `module ${config.displayDir}`,
      rule: 'module-files',
      message: `module is missing ${file} (every module has ${MODULE_FILES.join(', ')})`,
    });
  }
}

/** Every variable has a type and a description; every output has a description. */
export function checkDeclarationsDocumented(config: Configuration, findings: Finding[]): void {
  for (const variable of config.variables.values()) {
    if (!isExpression(variable.body.type)) {
      findings.push({ ...site(variable), rule: 'variable-type', message: 'variable has no type constraint' });
    }
    if (!hasText(variable.body.description)) {
      findings.push({ ...site(variable), rule: 'variable-description', message: 'variable has no description' });
    }
  }
  for (const output of config.outputs.values()) {
    if (!hasText(output.body.description)) {
      findings.push({ ...site(output), rule: 'output-description', message: 'output has no description' });
    }
  }
}

/** `required_version` is a minimum of at least 1.10; the AWS provider constraint is AWS_PROVIDER_CONSTRAINT exactly. */
export function checkVersions(config: Configuration, findings: Finding[]): void {
  const versionsFile = join(config.displayDir, 'versions.tf');
  const declared = config.terraformBlocks;
  if (declared.length === 0) {
    findings.push({
      file: versionsFile,
      line: 1,
      block: 'terraform',
      rule: 'versions',
      message: 'no terraform block: declare required_version and required_providers.aws in versions.tf',
    });
    return;
  }
  const requiredVersion = declared.map((block) => block.body.required_version).find((value) => value !== undefined);
  const anchor = declared[0]!;
  const problem = minimumProblem(requiredVersion, MINIMUM_TERRAFORM, 'required_version');
  if (problem)
    findings.push({ file: anchor.file, line: anchor.line, block: 'terraform', rule: 'versions', message: problem });
  const aws = declared
    .flatMap((block) => blocks(block.body, 'required_providers'))
    .map((providers) => providers.aws)
    .find(isBody);
  const constraint = aws?.version;
  const awsProblem = !aws
    ? 'required_providers has no aws entry'
    : typeof constraint !== 'string' || constraint.replace(/\s+/g, '') !== AWS_PROVIDER_CONSTRAINT.replace(/\s+/g, '')
      ? `required_providers.aws.version is ${JSON.stringify(constraint ?? null)}; every configuration uses "${AWS_PROVIDER_CONSTRAINT}", the range the lock files and the code are tested for`
      : undefined;
  if (awsProblem)
    findings.push({ file: anchor.file, line: anchor.line, block: 'terraform', rule: 'versions', message: awsProblem });
}

function minimumProblem(constraint: unknown, minimum: readonly [number, number], what: string): string | undefined {
  const wanted = `>= ${minimum.join('.')}`;
  if (typeof constraint !== 'string') return `${what} is missing; use "${wanted}"`;
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(constraint.trim());
  if (!match) return `${what} "${constraint}" must be a minimum only (">= x.y"), e.g. "${wanted}"`;
  const major = Number(match[1]);
  const minor = Number(match[2] ?? 0);
  if (major < minimum[0] || (major === minimum[0] && minor < minimum[1])) {
    return `${what} "${constraint}" allows versions older than ${minimum.join('.')}; use "${wanted}"`;
  }
  return undefined;
}

/** Outputs other parts of Berth consume; removing or renaming one breaks a workflow or an action. */
export function checkContractOutputs(config: Configuration, required: readonly string[], findings: Finding[]): void {
  for (const name of required) {
    if (config.outputs.has(name)) continue;
    findings.push({
      file: join(config.displayDir, 'outputs.tf'),
      line: 1,
      block: `output "${name}"`,
      rule: 'contract-output',
      message: `root configuration ${config.displayDir} must declare output "${name}" (consumed by the workflows and actions)`,
    });
  }
}

/**
 * A tfvars file sets only variables the root declares: Terraform merely warns about the others, so a misspelt name
 * would silently leave the default in place. (Types and required values are Terraform's: the platform suites run
 * with each environment's tfvars.)
 */
export function checkTfvars(tfvarsPath: string, displayRoot: string, root: Configuration, findings: Finding[]): void {
  const file = relative(displayRoot, tfvarsPath);
  const text = readFileSync(tfvarsPath, 'utf8');
  const parsed = parseHcl(text);
  if (!parsed.ok) {
    findings.push({
      file,
      line: 1,
      block: 'file',
      rule: 'hcl-syntax',
      message: 'the file is not valid HCL, so no rule could check it; `terraform fmt -check` shows where it breaks',
    });
    return;
  }
  const lineOf = (name: string): number => {
    const index = text.split('\n').findIndex((line) => new RegExp(`^${escapeRegExp(name)}\\s*=`).test(line));
    return index < 0 ? 1 : index + 1;
  };
  for (const name of Object.keys(parsed.body)) {
    if (root.variables.has(name)) continue;
    findings.push({
      file,
      line: lineOf(name),
      block: name,
      rule: 'tfvars-undeclared',
      message: `"${name}" is not a variable of ${root.displayDir}`,
    });
  }
}

const BACKEND_SETTINGS = ['bucket', 'key', 'region'];

/**
 * Each environment has `<env>.backend.hcl` with bucket, key and region, S3 native locking and encryption, and a
 * state key no other environment uses. Roots keep a partial `backend "s3" {}` so those files fill it in.
 */
export function checkBackends(
  environmentsDir: string,
  displayRoot: string,
  roots: Configuration[],
  findings: Finding[],
): void {
  for (const root of roots) {
    const backends = root.terraformBlocks.flatMap((block) => {
      const backend = block.body.backend;
      return isBody(backend) ? Object.keys(backend) : [];
    });
    if (!backends.includes('s3')) {
      const anchor = root.terraformBlocks[0];
      findings.push({
        file: anchor?.file ?? join(root.displayDir, 'versions.tf'),
        line: anchor?.line ?? 1,
        block: 'terraform',
        rule: 'backend-config',
        message: `root configuration ${root.displayDir} has no backend "s3" block; state would stay on the runner`,
      });
    }
  }
  if (!existsSync(environmentsDir)) return;
  const keys = new Map<string, string>();
  const environments = readdirSync(environmentsDir)
    .filter((name) => name.endsWith('.tfvars'))
    .map((name) => basename(name, '.tfvars'));
  const backendFiles = readdirSync(environmentsDir).filter((name) => name.endsWith('.backend.hcl'));
  for (const environment of environments) {
    if (!backendFiles.includes(`${environment}.backend.hcl`)) {
      findings.push({
        file: relative(displayRoot, join(environmentsDir, `${environment}.tfvars`)),
        line: 1,
        block: 'file',
        rule: 'backend-config',
        message: `environment "${environment}" has no ${environment}.backend.hcl next to its tfvars`,
      });
    }
  }
  for (const backendFile of backendFiles.sort()) {
    const path = join(environmentsDir, backendFile);
    const file = relative(displayRoot, path);
    const parsed = parseHcl(readFileSync(path, 'utf8'));
    if (!parsed.ok) {
      findings.push({
        file,
        line: 1,
        block: 'file',
        rule: 'hcl-syntax',
        message: 'the file is not valid HCL, so no rule could check it; `terraform fmt -check` shows where it breaks',
      });
      continue;
    }
    const settings: HclBody = parsed.body;
    const problems: string[] = [];
    for (const setting of BACKEND_SETTINGS) {
      if (typeof settings[setting] !== 'string' || settings[setting] === '') problems.push(`${setting} must be set`);
    }
    if (settings.use_lockfile !== true) problems.push('use_lockfile must be true (S3 native state locking)');
    if (settings.encrypt !== true) problems.push('encrypt must be true');
    if ('dynamodb_table' in settings) problems.push('dynamodb_table is not needed with use_lockfile; remove it');
    const key = settings.key;
    if (typeof key === 'string') {
      const other = keys.get(key);
      if (other) problems.push(`key "${key}" is also used by ${other}; each state needs its own key`);
      else keys.set(key, backendFile);
    }
    for (const problem of problems) {
      findings.push({ file, line: 1, block: 'backend "s3"', rule: 'backend-config', message: problem });
    }
  }
}

function site(declaration: { file: string; block: string; line: number }): Pick<Finding, 'file' | 'block' | 'line'> {
  return { file: declaration.file, block: declaration.block, line: declaration.line };
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Line of an attribute inside a declaration (the header line when the attribute is absent). */
export function attributeLine(
  config: Configuration,
  declaration: { file: string; line: number; body: HclBody },
  attribute: string,
): number {
  if (!(attribute in declaration.body)) return declaration.line;
  return lineIn(config, declaration.file, new RegExp(`^\\s+${escapeRegExp(attribute)}\\s*=`), declaration.line);
}
