import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { lookupFunctionUrl } from '../src/function-url-lookup';

/** A Lambda client whose one call answers or fails as scripted, recording the request. */
function lambda(answer: () => unknown): Pick<LambdaClient, 'send'> & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  return {
    inputs,
    send: (async (command: { input: unknown }) => {
      inputs.push(command.input);
      return answer();
    }) as unknown as LambdaClient['send'],
  };
}

const awsError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

describe('lookupFunctionUrl', () => {
  it('splits the qualifier of an ARN with an alias', async () => {
    const client = lambda(() => ({ FunctionUrl: 'https://x.lambda-url.eu-west-1.on.aws/', AuthType: 'AWS_IAM' }));
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:berth-dev-deploy-notifier:live';
    expect(await lookupFunctionUrl(client, arn)).toEqual({
      url: 'https://x.lambda-url.eu-west-1.on.aws/',
      authType: 'AWS_IAM',
    });
    expect(client.inputs).toEqual([
      { FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:berth-dev-deploy-notifier', Qualifier: 'live' },
    ]);
  });

  it('names the permission when access is denied, and passes other failures on', async () => {
    const denied = lambda(() => {
      throw awsError('AccessDeniedException', 'not authorized to perform: lambda:GetFunctionUrlConfig');
    });
    await expect(lookupFunctionUrl(denied, 'notifier')).rejects.toThrow(
      'grant the runner\'s role lambda:GetFunctionUrlConfig on the function, or give "url" instead',
    );
    const broken = lambda(() => {
      throw awsError('ServiceException', 'internal error');
    });
    await expect(lookupFunctionUrl(broken, 'notifier')).rejects.toThrow(
      'Looking up the Function URL of "notifier" failed: internal error',
    );
    const empty = lambda(() => ({}));
    await expect(lookupFunctionUrl(empty, 'notifier')).rejects.toThrow(
      'Lambda returned no URL for function "notifier"',
    );
  });
});
