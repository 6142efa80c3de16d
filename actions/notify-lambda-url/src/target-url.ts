import { ActionError, lookupTerraformOutput, type TerraformOutputs, type TerraformOutputsSource } from '@berth/kit';

/** Where the notification goes: exactly one of the four inputs names it. */
export type TargetSource =
  | { kind: 'url'; url: string }
  | { kind: 'function-name'; functionName: string }
  | { kind: 'terraform'; outputs: TerraformOutputsSource; outputName: string };

export const SOURCE_INPUTS = ['url', 'function-name', 'terraform-outputs', 'terraform-dir'] as const;

/** Checks a URL from any source: https, or http to the local machine (used by tests and local receivers). */
export function parseTargetUrl(text: string, origin: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ActionError(
      `${origin} "${text.slice(0, 200)}" is not a URL: give the Function URL, e.g. https://<id>.lambda-url.us-east-1.on.aws/`,
    );
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ActionError(`${origin} "${url.href}" must use https (plain http is only accepted for localhost).`);
  }
  return url;
}

export function urlFromTerraformOutputs(outputs: TerraformOutputs, outputName: string): URL {
  const value = lookupTerraformOutput(outputs, outputName);
  if (value === undefined) {
    throw new ActionError(
      `Terraform outputs have no "${outputName}": set "output-name" to the output holding the Function URL ` +
        '(e.g. `output "lambda_url" { value = aws_lambda_function_url.notifier.function_url }`).',
    );
  }
  if (typeof value !== 'string') {
    throw new ActionError(
      `Terraform output "${outputName}" is a ${Array.isArray(value) ? 'list' : typeof value}, not the URL string.`,
    );
  }
  return parseTargetUrl(value, `Terraform output "${outputName}"`);
}
