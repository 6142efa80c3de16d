import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadConfiguration, tfFiles, type Configuration } from './config.ts';
import { checkReadme } from './docs.ts';
import { sortFindings, type Finding } from './findings.ts';
import {
  checkCaches,
  checkDatabases,
  checkEcr,
  checkEcsServices,
  checkFunctionUrls,
  checkHardCodedAccountData,
  checkOpenIngress,
  checkS3Buckets,
} from './security.ts';
import {
  checkBackends,
  checkContractOutputs,
  checkDeclarationsDocumented,
  checkModuleFiles,
  checkTfvars,
  checkVersions,
} from './structure.ts';

/** Outputs the actions and workflows read from `terraform output -json`; see docs/infrastructure.md. */
export const CONTRACT_OUTPUTS: Record<string, readonly string[]> = {
  platform: [
    'vpc_id',
    'public_subnet_ids',
    'private_subnet_ids',
    'cluster_id',
    'cluster_name',
    'alb_dns',
    'ecs_service_names',
    'lambda_url',
    'execution_role_arns',
    'task_role_arns',
    'log_group_names',
    'aws_region',
    'dashboard_url',
    'database_host',
    'database_port',
    'database_name',
    'database_secret_arn',
    'database_user_secret_arns',
    'api_tokens_secret_arn',
    'cors_origins',
    'cache_endpoint',
    'cache_port',
    'service_connect_namespace',
  ],
  storage: [
    'state_bucket',
    'ecr_repository_urls',
    'aws_region',
    'build_role_arn',
    'environment_role_arns',
    'environment_access',
  ],
};

export interface CheckOptions {
  /** The `terraform/` directory: `modules/*`, root configurations beside it, and `environments/`. */
  terraformDir: string;
  /** Paths in findings are relative to this directory (default: the parent of terraformDir). */
  displayRoot?: string;
  /** Root configuration that `environments/*.tfvars` are written for. */
  environmentRoot?: string;
  /** Outputs each root must declare, by root directory name. */
  requiredOutputs?: Record<string, readonly string[]>;
}

export interface TerraformTree {
  modules: Configuration[];
  roots: Configuration[];
}

/**
 * Loads every directory of `modules/` holding `.tf` files as a module (`modules/tests` holds only test files) and
 * every other directory of terraformDir holding `.tf` files as a root.
 */
export function loadTree(terraformDir: string, displayRoot: string, findings: Finding[]): TerraformTree {
  const modulesDir = join(terraformDir, 'modules');
  const withConfiguration = (dir: string): boolean => tfFiles(dir).length > 0;
  const modules = subdirectories(modulesDir)
    .filter(withConfiguration)
    .map((dir) => loadConfiguration(resolve(dir), displayRoot, 'module', findings));
  const roots = subdirectories(terraformDir)
    .filter((dir) => resolve(dir) !== resolve(modulesDir) && withConfiguration(dir))
    .map((dir) => loadConfiguration(resolve(dir), displayRoot, 'root', findings));
  return { modules, roots };
}

export function checkTerraform(options: CheckOptions): Finding[] {
  const terraformDir = resolve(options.terraformDir);
  const displayRoot = resolve(options.displayRoot ?? dirname(terraformDir));
  const environmentRoot = options.environmentRoot ?? 'platform';
  const requiredOutputs = options.requiredOutputs ?? CONTRACT_OUTPUTS;
  const findings: Finding[] = [];
  const tree = loadTree(terraformDir, displayRoot, findings);

  for (const config of [...tree.modules, ...tree.roots]) {
    checkDeclarationsDocumented(config, findings);
    checkVersions(config, findings);
    checkS3Buckets(config, findings);
    checkEcr(config, findings);
    checkOpenIngress(config, findings);
    checkDatabases(config, findings);
    checkCaches(config, findings);
    checkFunctionUrls(config, findings);
    checkEcsServices(config, findings);
    checkHardCodedAccountData(config, findings);
    checkReadme(config, findings);
  }
  for (const module of tree.modules) checkModuleFiles(module, findings);
  for (const root of tree.roots) {
    const rootName = root.dir.slice(terraformDir.length + 1);
    checkContractOutputs(root, requiredOutputs[rootName] ?? [], findings);
    const autoVars = join(root.dir, 'terraform.tfvars');
    if (existsSync(autoVars)) checkTfvars(autoVars, displayRoot, root, findings);
  }
  for (const [rootName, outputs] of Object.entries(requiredOutputs)) {
    if (outputs.length > 0 && !tree.roots.some((root) => root.dir === join(terraformDir, rootName))) {
      findings.push({
        file: join(terraformDir.slice(displayRoot.length + 1), rootName),
        line: 1,
        block: 'configuration',
        rule: 'contract-output',
        message: `root configuration ${rootName} is missing; its outputs are consumed by the workflows and actions`,
      });
    }
  }

  const environmentsDir = join(terraformDir, 'environments');
  // <env>.tfvars is the environment root's; <env>.<root>.tfvars (e.g. dev.secrets.tfvars) that root's.
  const rootNamed = (name: string) => tree.roots.find((root) => root.dir === join(terraformDir, name));
  if (existsSync(environmentsDir)) {
    for (const name of readdirSync(environmentsDir)
      .filter((file) => file.endsWith('.tfvars'))
      .sort()) {
      const rootName = /^[^.]+\.([a-z0-9-]+)\.tfvars$/.exec(name)?.[1] ?? environmentRoot;
      const root = rootNamed(rootName);
      if (root) checkTfvars(join(environmentsDir, name), displayRoot, root, findings);
      else if (rootName !== environmentRoot) {
        findings.push({
          file: relative(displayRoot, join(environmentsDir, name)),
          line: 1,
          block: 'file',
          rule: 'tfvars-undeclared',
          message: `${name} names root "${rootName}", which is not a root configuration beside terraform/modules`,
        });
      }
    }
  }
  checkBackends(environmentsDir, displayRoot, tree.roots, findings);
  return sortFindings(findings);
}

function subdirectories(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
    .sort();
}
