import type { TerraformOutputs } from '@berth/kit';
import { disallowedImageProblems } from './allowed-repositories';
import { applyContainerSettings, type ContainerSetting } from './container-settings';
import { parseJsonWithLocation } from './parse-json';
import { addFlattened, substitutePlaceholders, type PlaceholderValues } from './placeholders';
import { findAccountArns, validateTaskDefinition } from './validate';

export interface RenderRequest {
  templateText: string;
  templatePath: string;
  environment: string;
  /** Values of the tfvars file, empty when the render has none. */
  tfvars: Record<string, unknown>;
  tfvarsPath?: string;
  terraformOutputs?: TerraformOutputs;
  images: ReadonlyMap<string, string>;
  environmentVariables: readonly ContainerSetting[];
  secrets: readonly ContainerSetting[];
  /** Repositories every image must be from (`registry/path`, from parseAllowedRepositories); empty allows any. */
  allowedImageRepositories?: readonly string[];
}

export type TaskDefinition = Record<string, unknown> & {
  family: string;
  containerDefinitions: (Record<string, unknown> & { name: string; image: string })[];
};

export interface RenderResult {
  taskDefinition?: TaskDefinition;
  problems: string[];
}

/**
 * Fills a template from tfvars, Terraform outputs (which win) and images, applies the container settings,
 * holds every image to the allowed repositories, and validates. Returns the definition only when there are no
 * problems; otherwise every problem found.
 */
export function renderTaskDefinition(request: RenderRequest): RenderResult {
  const parsed = parseJsonWithLocation(request.templateText, `template ${request.templatePath}`);
  if (parsed.problem) return { problems: [parsed.problem] };

  const problems: string[] = [];
  for (const { arn, path } of findAccountArns(parsed.value)) {
    problems.push(
      `template ${request.templatePath} hard-codes ${arn} at ${path}: an account id never belongs in a template; ` +
        'use a placeholder filled from Terraform outputs, such as ${execution_role_arn}',
    );
  }

  const values: PlaceholderValues = new Map();
  addFlattened(values, '', request.tfvars);
  values.set('environment', request.environment);
  if (request.terraformOutputs) addFlattened(values, '', request.terraformOutputs);
  for (const [container, image] of request.images) values.set(`images.${container}`, image);

  const substitution = substitutePlaceholders(parsed.value, values);
  if (substitution.unresolved.length > 0) {
    const names = [...new Set(substitution.unresolved.map((u) => u.name))];
    const where = names.map((name) => {
      const paths = substitution.unresolved.filter((u) => u.name === name).map((u) => u.path);
      return `\${${name}} (at ${paths.join(', ')})`;
    });
    problems.push(
      `unresolved placeholders: ${where.join('; ')}. Define them in ${request.tfvarsPath ?? 'a tfvars file (input "tfvars")'}, in the Terraform outputs` +
        (names.some((n) => n.startsWith('images.')) ? ', or give the image with the "images" input' : '') +
        (request.terraformOutputs ? '' : ' (neither "terraform-outputs" nor "terraform-dir" was given)'),
    );
  }
  for (const { text, path } of substitution.malformed) {
    problems.push(
      `malformed placeholder ${text} at ${path}: names are letters, digits, "_", "-" and "."; write $\${…} for a literal`,
    );
  }

  const definition = substitution.value as Record<string, unknown>;
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return {
      problems: [...problems, `template ${request.templatePath} must be a JSON object (RegisterTaskDefinition input)`],
    };
  }
  stringifyStringFields(definition);
  if (Array.isArray(definition.containerDefinitions)) {
    problems.push(
      ...applyContainerSettings(
        definition.containerDefinitions as Record<string, unknown>[],
        request.images,
        request.environmentVariables,
        request.secrets,
      ),
    );
    problems.push(
      ...disallowedImageProblems(definition.containerDefinitions as unknown[], request.allowedImageRepositories ?? []),
    );
  }

  problems.push(
    ...validateTaskDefinition(definition, { expectedAccountId: accountOfOutputs(request.terraformOutputs) }),
  );
  return problems.length > 0 ? { problems } : { taskDefinition: definition as TaskDefinition, problems };
}

/** The account the Terraform outputs belong to: an explicit account id output, or the one account their ARNs share. */
export function accountOfOutputs(outputs: TerraformOutputs | undefined): string | undefined {
  if (!outputs) return undefined;
  for (const key of ['aws_account_id', 'account_id']) {
    const value = outputs[key];
    if (typeof value === 'string' && /^\d{12}$/.test(value)) return value;
  }
  const accounts = new Set(findAccountArns(outputs).map((a) => a.account));
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

/**
 * A whole-string placeholder keeps its value's type, so `"${database_port}"` becomes 5432. Fields that the
 * API types as strings (task cpu/memory, environment values, secret sources, log options, tags) are turned
 * back into strings here, so a number from tfvars or outputs can fill them.
 */
function stringifyStringFields(definition: Record<string, unknown>): void {
  const text = (value: unknown): unknown =>
    typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  const eachEntry = (list: unknown, field: string): void => {
    if (!Array.isArray(list)) return;
    for (const entry of list)
      if (typeof entry === 'object' && entry !== null)
        (entry as Record<string, unknown>)[field] = text((entry as Record<string, unknown>)[field]);
  };
  const eachValue = (map: unknown): void => {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) return;
    for (const key of Object.keys(map))
      (map as Record<string, unknown>)[key] = text((map as Record<string, unknown>)[key]);
  };
  definition.cpu = text(definition.cpu);
  definition.memory = text(definition.memory);
  eachEntry(definition.tags, 'value');
  if (!Array.isArray(definition.containerDefinitions)) return;
  for (const container of definition.containerDefinitions as Record<string, unknown>[]) {
    if (typeof container !== 'object' || container === null) continue;
    eachEntry(container.environment, 'value');
    eachEntry(container.secrets, 'valueFrom');
    eachValue(container.dockerLabels);
    const log = container.logConfiguration as Record<string, unknown> | undefined;
    if (log && typeof log === 'object') eachValue(log.options);
  }
}
