import { lookupTerraformOutput, readTerraformOutputs, type TerraformOutputs } from '@berth/kit';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllowedRepositories } from './allowed-repositories';
import { parseContainerSettings } from './container-settings';
import { parseImages } from './images-input';
import { renderTaskDefinition } from './render';
import { readTfvars, tfvarsFileFor } from './tfvars';

export const usage = `usage: npm run render -- --environment ENV --template PATH [options]
  --environment ENV          environment (repeatable); reads terraform/environments/ENV.tfvars when it exists
  --template PATH            task-definition template (repeatable)
  --tfvars PATH              tfvars file instead of terraform/environments/ENV.tfvars
  --terraform-outputs PATH   \`terraform output -json\` file (repeatable; later files win); {env} in the path is replaced
  --images c=uri[,c=uri]     image per container (repeatable; a container given twice is refused)
  --allowed-image-repositories R[,R]
                             refuse images outside these registry/path repositories (repeatable)
  --image-tag TAG            image = ecr_repository_urls[container]:TAG from the outputs
  --env c:NAME=value         environment variable for a container (repeatable)
  --secret c:NAME=arn        secret for a container (repeatable)`;

export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `npm run render`: renders templates for environments without GitHub or AWS and prints them, or their problems.
 * Resolves the exit code: 0 rendered, 1 a template has problems, 2 bad arguments.
 */
export async function renderCli(argv: string[], streams: CliStreams): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      environment: { type: 'string', multiple: true },
      template: { type: 'string', multiple: true },
      tfvars: { type: 'string' },
      'terraform-outputs': { type: 'string', multiple: true },
      images: { type: 'string', multiple: true },
      'allowed-image-repositories': { type: 'string', multiple: true },
      'image-tag': { type: 'string' },
      env: { type: 'string', multiple: true },
      secret: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.environment?.length || !values.template?.length) {
    streams.stderr.write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const environmentVariables = parseContainerSettings((values.env ?? []).join('\n'), '--env');
  const secrets = parseContainerSettings((values.secret ?? []).join('\n'), '--secret');
  const images = parseImages((values.images ?? []).join('\n'), '--images');
  const allowed = parseAllowedRepositories(
    (values['allowed-image-repositories'] ?? []).join('\n'),
    '--allowed-image-repositories',
  );
  const argumentProblems = [
    ...environmentVariables.problems,
    ...secrets.problems,
    ...images.problems,
    ...allowed.problems,
  ];
  if (argumentProblems.length > 0) {
    streams.stderr.write(`${argumentProblems.join('\n')}\n`);
    return 2;
  }

  let failed = false;
  const many = values.environment.length * values.template.length > 1;
  for (const environment of values.environment) {
    const outputs: TerraformOutputs = {};
    for (const path of values['terraform-outputs'] ?? [])
      Object.assign(outputs, readTerraformOutputs(path.replaceAll('{env}', environment)));
    const tfvarsPath = tfvarsFileFor(environment, values.tfvars);
    const tfvars = tfvarsPath ? await readTfvars(tfvarsPath) : {};
    for (const templatePath of values.template) {
      const templateText = readFileSync(templatePath, 'utf8');
      const imageMap = new Map(images.images);
      if (values['image-tag']) {
        for (const name of containerNames(templateText)) {
          const url = lookupTerraformOutput(outputs, `ecr_repository_urls.${name}`);
          if (typeof url === 'string' && !imageMap.has(name)) imageMap.set(name, `${url}:${values['image-tag']}`);
        }
      }
      const result = renderTaskDefinition({
        templateText,
        templatePath,
        environment,
        tfvars,
        tfvarsPath,
        terraformOutputs: values['terraform-outputs'] ? outputs : undefined,
        images: imageMap,
        allowedImageRepositories: allowed.repositories,
        environmentVariables: environmentVariables.settings,
        secrets: secrets.settings,
      });
      if (many) streams.stdout.write(`# ${environment} ${templatePath}\n`);
      if (result.taskDefinition) {
        streams.stdout.write(`${JSON.stringify(result.taskDefinition, null, 2)}\n`);
      } else {
        failed = true;
        streams.stderr.write(`${environment} ${templatePath}: ${result.problems.length} problem(s)\n`);
        for (const problem of result.problems) streams.stderr.write(`  - ${problem}\n`);
      }
    }
  }
  return failed ? 1 : 0;
}

/** Container names of a template, read loosely: the template may not be valid yet. */
function containerNames(templateText: string): string[] {
  try {
    const parsed = JSON.parse(templateText) as { containerDefinitions?: { name?: unknown }[] };
    return (parsed.containerDefinitions ?? []).map((c) => c.name).filter((n): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}
