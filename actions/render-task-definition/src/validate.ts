import { TASK_DEFINITION_READ_ONLY_FIELDS } from '@berth/kit';
import { fargateSizeProblem, parseCpuUnits, parseMemoryMiB } from './fargate';

/** The request members of ECS RegisterTaskDefinition; anything else is rejected by the API. */
const REGISTER_KEYS = new Set([
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'tags',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
]);

const READ_ONLY_KEYS = new Set(TASK_DEFINITION_READ_ONLY_FIELDS);

const ARN_WITH_ACCOUNT = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):[^\s"]*/g;
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

export interface ValidationContext {
  /** The AWS account the environment lives in, when Terraform outputs reveal it. */
  expectedAccountId?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every problem RegisterTaskDefinition or a Fargate launch would hit, found locally, each naming the field
 * and the fix. Returns all problems rather than the first, so one run shows everything to correct.
 */
export function validateTaskDefinition(definition: unknown, context: ValidationContext = {}): string[] {
  const problems: string[] = [];
  if (!isObject(definition)) return ['the task definition must be a JSON object'];

  for (const key of Object.keys(definition)) {
    if (READ_ONLY_KEYS.has(key)) {
      problems.push(`"${key}" is a read-only field returned by DescribeTaskDefinition: remove it from the template`);
    } else if (!REGISTER_KEYS.has(key)) {
      problems.push(`"${key}" is not a RegisterTaskDefinition field (allowed: ${[...REGISTER_KEYS].join(', ')})`);
    }
  }

  const family = definition.family;
  if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    problems.push(`"family" must be 1-255 letters, digits, hyphens or underscores; got ${JSON.stringify(family)}`);
  }

  const compatibilities = Array.isArray(definition.requiresCompatibilities) ? definition.requiresCompatibilities : [];
  const fargate = compatibilities.includes('FARGATE');
  if (fargate) validateFargate(definition, problems);

  const containers = definition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.push('"containerDefinitions" must list at least one container');
  } else {
    validateContainers(containers, definition, problems);
  }

  validateAccounts(definition, context, problems);
  return problems;
}

function validateFargate(definition: Json, problems: string[]): void {
  if (definition.networkMode !== 'awsvpc') {
    problems.push(`"networkMode" must be "awsvpc" for FARGATE; got ${JSON.stringify(definition.networkMode)}`);
  }
  const cpu = parseCpuUnits(definition.cpu);
  const memory = parseMemoryMiB(definition.memory);
  if (definition.cpu === undefined) problems.push('"cpu" is required at task level for FARGATE (e.g. "256")');
  else if (cpu === undefined)
    problems.push(`"cpu" ${JSON.stringify(definition.cpu)} is not CPU units (e.g. "256") or vCPU (e.g. "1 vCPU")`);
  if (definition.memory === undefined) problems.push('"memory" is required at task level for FARGATE (e.g. "512")');
  else if (memory === undefined)
    problems.push(`"memory" ${JSON.stringify(definition.memory)} is not MiB (e.g. "512") or GB (e.g. "1 GB")`);
  if (cpu !== undefined && memory !== undefined) {
    const problem = fargateSizeProblem(cpu, memory);
    if (problem) problems.push(`"cpu"/"memory": ${problem}`);
  }
}

function validateContainers(containers: unknown[], definition: Json, problems: string[]): void {
  const names = new Map<string, number>();
  let essentials = 0;
  let needsExecutionRole: string | undefined;

  containers.forEach((container, index) => {
    const at = `containerDefinitions[${index}]`;
    if (!isObject(container)) {
      problems.push(`${at} must be an object`);
      return;
    }
    const name = container.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      problems.push(`${at}.name must be 1-255 letters, digits, hyphens or underscores; got ${JSON.stringify(name)}`);
    } else if (names.has(name)) {
      problems.push(
        `${at}.name "${name}" is already used by containerDefinitions[${names.get(name)}]: container names must be unique`,
      );
    } else {
      names.set(name, index);
    }
    const label = typeof name === 'string' ? `${at} (${name})` : at;
    if (container.essential !== false) essentials++;

    const image = container.image;
    if (typeof image !== 'string' || image.trim() === '') {
      problems.push(`${label}.image is missing: set it in the template or pass it with the "images" input`);
    } else if (ECR_IMAGE.test(image)) {
      needsExecutionRole ??= `${label} pulls from ECR`;
    }

    validatePorts(container.portMappings, label, definition.networkMode, problems);
    validateNameValues(container.environment, `${label}.environment`, 'value', problems);
    validateNameValues(container.secrets, `${label}.secrets`, 'valueFrom', problems);
    if (Array.isArray(container.secrets) && container.secrets.length > 0)
      needsExecutionRole ??= `${label} reads secrets`;

    const log = container.logConfiguration;
    if (isObject(log) && log.logDriver === 'awslogs') {
      needsExecutionRole ??= `${label} logs with awslogs`;
      const options = isObject(log.options) ? log.options : {};
      for (const option of ['awslogs-group', 'awslogs-region']) {
        if (typeof options[option] !== 'string' || options[option] === '') {
          problems.push(`${label}.logConfiguration.options["${option}"] is required for the awslogs driver`);
        }
      }
    }
    validateHealthCheck(container.healthCheck, label, problems);
  });

  if (essentials === 0) problems.push('no container is essential: mark at least one with "essential": true');
  validateDependencies(containers, problems);
  if (needsExecutionRole && typeof definition.executionRoleArn !== 'string') {
    problems.push(
      `"executionRoleArn" is required because ${needsExecutionRole}: use the placeholder \${execution_role_arn}`,
    );
  }
}

const DEPENDENCY_CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];

/**
 * `dependsOn` names containers of the same definition (not itself) with one of ECS's conditions; COMPLETE and
 * SUCCESS wait for the other container to exit, so ECS refuses them on an essential container, and HEALTHY needs a
 * health check to pass.
 */
function validateDependencies(containers: unknown[], problems: string[]): void {
  const byName = new Map(
    containers.filter(isObject).flatMap((c) => (typeof c.name === 'string' ? [[c.name, c] as const] : [])),
  );
  containers.forEach((container, index) => {
    if (!isObject(container) || container.dependsOn === undefined) return;
    const label = `containerDefinitions[${index}]${typeof container.name === 'string' ? ` (${container.name})` : ''}`;
    if (!Array.isArray(container.dependsOn)) {
      problems.push(`${label}.dependsOn must be a list of {"containerName", "condition"}`);
      return;
    }
    container.dependsOn.forEach((dependency, at) => {
      const where = `${label}.dependsOn[${at}]`;
      const name = isObject(dependency) ? dependency.containerName : undefined;
      const condition = isObject(dependency) ? dependency.condition : undefined;
      const target = typeof name === 'string' ? byName.get(name) : undefined;
      if (target === undefined || name === container.name) {
        problems.push(
          `${where}.containerName ${JSON.stringify(name)} must name another container of this definition (${[...byName.keys()].join(', ')})`,
        );
        return;
      }
      if (typeof condition !== 'string' || !DEPENDENCY_CONDITIONS.includes(condition)) {
        problems.push(
          `${where}.condition must be one of ${DEPENDENCY_CONDITIONS.join(', ')}; got ${JSON.stringify(condition)}`,
        );
      } else if ((condition === 'COMPLETE' || condition === 'SUCCESS') && target.essential !== false) {
        problems.push(
          `${where}: ${condition} waits for container "${String(name)}" to exit, so it must be "essential": false`,
        );
      } else if (condition === 'HEALTHY' && target.healthCheck === undefined) {
        problems.push(`${where}: HEALTHY needs container "${String(name)}" to have a healthCheck`);
      }
    });
  });
}

function validatePorts(mappings: unknown, label: string, networkMode: unknown, problems: string[]): void {
  if (mappings === undefined) return;
  if (!Array.isArray(mappings)) {
    problems.push(`${label}.portMappings must be a list`);
    return;
  }
  mappings.forEach((mapping, index) => {
    const at = `${label}.portMappings[${index}]`;
    if (!isObject(mapping)) {
      problems.push(`${at} must be an object`);
      return;
    }
    for (const field of ['containerPort', 'hostPort'] as const) {
      const port = mapping[field];
      if (port === undefined && field === 'hostPort') continue;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`${at}.${field} must be a whole number from 1 to 65535; got ${JSON.stringify(port)}`);
      }
    }
    if (networkMode === 'awsvpc' && mapping.hostPort !== undefined && mapping.hostPort !== mapping.containerPort) {
      problems.push(`${at}.hostPort must equal containerPort (or be omitted) in awsvpc mode`);
    }
  });
}

function validateNameValues(list: unknown, at: string, valueField: string, problems: string[]): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.push(`${at} must be a list of {"name", "${valueField}"}`);
    return;
  }
  list.forEach((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry[valueField] !== 'string') {
      problems.push(`${at}[${index}] must be {"name": string, "${valueField}": string}; got ${JSON.stringify(entry)}`);
    }
  });
}

function validateHealthCheck(check: unknown, label: string, problems: string[]): void {
  if (check === undefined) return;
  const at = `${label}.healthCheck`;
  if (!isObject(check)) {
    problems.push(`${at} must be an object`);
    return;
  }
  const command = check.command;
  if (!Array.isArray(command) || command.length < 2 || !['CMD', 'CMD-SHELL'].includes(String(command[0]))) {
    problems.push(
      `${at}.command must be a list starting with "CMD" or "CMD-SHELL", e.g. ["CMD-SHELL", "curl -f http://localhost/health"]`,
    );
  }
  const ranges: Record<string, [number, number]> = {
    interval: [5, 300],
    timeout: [2, 120],
    retries: [1, 10],
    startPeriod: [0, 300],
  };
  for (const [field, [min, max]] of Object.entries(ranges)) {
    const value = check[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${at}.${field} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
    }
  }
}

function validateAccounts(definition: Json, context: ValidationContext, problems: string[]): void {
  if (!context.expectedAccountId) return;
  for (const { arn, account, path } of findAccountArns(definition)) {
    if (account !== context.expectedAccountId) {
      problems.push(
        `${path} names account ${account} (${arn}) but the environment's Terraform outputs are in account ` +
          `${context.expectedAccountId}: take the ARN from a Terraform output placeholder instead of writing it`,
      );
    }
  }
}

/** Every ARN with an account id in a document, with its JSON path. */
export function findAccountArns(document: unknown, path = ''): { arn: string; account: string; path: string }[] {
  if (typeof document === 'string') {
    return [...document.matchAll(ARN_WITH_ACCOUNT)].map((m) => ({ arn: m[0], account: m[1]!, path: path || '(root)' }));
  }
  if (Array.isArray(document)) return document.flatMap((item, index) => findAccountArns(item, `${path}[${index}]`));
  if (isObject(document)) {
    return Object.entries(document).flatMap(([key, value]) => findAccountArns(value, path ? `${path}.${key}` : key));
  }
  return [];
}
