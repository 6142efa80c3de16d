import * as core from '@actions/core';
import type { InputReader } from './inputs';
import { maskValues } from './mask';
import { terraformOutputJson, type TerraformRunner } from './terraform-cli';
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
  /** Stands in for Terraform in tests; the real one by default. */
  runTerraform?: TerraformRunner;
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
    text = await terraformOutputJson(source.directory, {
      run: options.runTerraform,
      alternative: `pass the saved outputs with input "${TERRAFORM_OUTPUTS_INPUT}" instead of "${source.input}"`,
    });
    origin = `\`terraform output -json\` in ${source.directory}`;
  }
  const { outputs, sensitiveValues } = parseTerraformOutputs(text, origin);
  maskValues(sensitiveValues);
  return outputs;
}
