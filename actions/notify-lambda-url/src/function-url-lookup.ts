import { GetFunctionUrlConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ActionError, awsErrorName, errorMessage, isAccessDeniedError } from '@berth/kit';

export interface FunctionUrlConfig {
  url: string;
  /** `AWS_IAM` or `NONE`. */
  authType: string;
}

/** The Function URL of a function name, ARN, or `name:alias`. */
export async function lookupFunctionUrl(
  client: Pick<LambdaClient, 'send'>,
  functionName: string,
): Promise<FunctionUrlConfig> {
  const { name, qualifier } = splitQualifier(functionName);
  try {
    const answer = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: qualifier }));
    if (!answer.FunctionUrl) throw new ActionError(`Lambda returned no URL for function "${functionName}".`);
    return { url: answer.FunctionUrl, authType: answer.AuthType ?? 'NONE' };
  } catch (error) {
    if (error instanceof ActionError) throw error;
    if (awsErrorName(error) === 'ResourceNotFoundException') {
      throw new ActionError(
        `Function "${functionName}" has no Function URL, or does not exist in this account and region ` +
          `(${errorMessage(error)}). Check "function-name" and "aws-region", or give "url" instead.`,
      );
    }
    if (isAccessDeniedError(error)) {
      throw new ActionError(
        `Not allowed to read the Function URL of "${functionName}" (${errorMessage(error)}): ` +
          'grant the runner\'s role lambda:GetFunctionUrlConfig on the function, or give "url" instead.',
      );
    }
    throw new ActionError(`Looking up the Function URL of "${functionName}" failed: ${errorMessage(error)}`);
  }
}

/** ARNs carry the qualifier as an 8th field; plain names as `name:qualifier`. */
function splitQualifier(functionName: string): { name: string; qualifier?: string } {
  if (functionName.startsWith('arn:')) {
    const parts = functionName.split(':');
    return parts.length === 8 ? { name: parts.slice(0, 7).join(':'), qualifier: parts[7] } : { name: functionName };
  }
  const colon = functionName.indexOf(':');
  return colon < 0
    ? { name: functionName }
    : { name: functionName.slice(0, colon), qualifier: functionName.slice(colon + 1) };
}
