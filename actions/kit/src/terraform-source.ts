import * as core from '@actions/core';
import { ActionError } from './errors';
import type { InputReader } from './inputs';
import { maskValues } from './mask';
import { terraformOutputJson, type TerraformOutputCommand } from './terraform-cli';
import { parseTerraformOutputs, readTerraformOutputsText, type TerraformOutputs } from './terraform-outputs';

/** Where an action takes Terraform outputs from: a file or JSON text, or a directory to ask Terraform in. */
export type TerraformOutputsSource =
  { kind: 'json'; pathOrJson: string; input: string } | { kind: 'directory'; directory: string; input: string };

export const TERRAFORM_OUTPUTS_INPUT = 'terraform-outputs';
export const TERRAFORM_DIR_INPUT = 'terraform-dir';

/**
 * Reads the `terraform-outputs` and `terraform-dir` inputs; at most one of them may be given.
 * Undefined when neither is.
 */
export function readTerraformOutputsSource(reader: InputReader): TerraformOutputsSource | undefined {
  const pathOrJson = reader.optionalString(TERRAFORM_OUTPUTS_INPUT);
  const directory = reader.existingDirectory(TERRAFORM_DIR_INPUT);
  const directoryGiven = reader.optionalString(TERRAFORM_DIR_INPUT) !== undefined;
  if (pathOrJson !== undefined && directoryGiven) {
    reader.problem(
      `inputs "${TERRAFORM_OUTPUTS_INPUT}" and "${TERRAFORM_DIR_INPUT}" are both given: pass the outputs one way, ` +
        'either the file or JSON of `terraform output -json`, or the directory to run it in',
    );
    return undefined;
  }
  if (pathOrJson !== undefined) return { kind: 'json', pathOrJson, input: TERRAFORM_OUTPUTS_INPUT };
  if (directory !== undefined) return { kind: 'directory', directory, input: TERRAFORM_DIR_INPUT };
  return undefined;
}

export interface LoadTerraformOutputsOptions {
  runTerraform?: TerraformOutputCommand;
  log?: (line: string) => void;
}

/** Loads the outputs from either source and masks every value Terraform marks sensitive. */
export async function loadTerraformOutputs(
  source: TerraformOutputsSource,
  options: LoadTerraformOutputsOptions = {},
): Promise<TerraformOutputs> {
  const log = options.log ?? core.info;
  let text: string;
  let origin: string;
  if (source.kind === 'json') {
    ({ text, origin } = readTerraformOutputsText(source.pathOrJson, source.input));
  } else {
    log(`Reading Terraform outputs: terraform output -json in ${source.directory}`);
    text = await (options.runTerraform ?? terraformOutputJson)(source.directory);
    origin = `\`terraform output -json\` in ${source.directory}`;
  }
  const { outputs, sensitiveValues } = parseTerraformOutputs(text, origin);
  maskValues(sensitiveValues);
  if (source.kind === 'directory' && Object.keys(outputs).length === 0) {
    throw new ActionError(
      `${origin} returned no outputs: the state there is empty or not the applied one. ` +
        'Run `terraform init` with the backend of the applied configuration before this step.',
    );
  }
  return outputs;
}
