import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { recordAwsCall, recordAwsCalls, signingService } from '../src/testing/aws-call-recorder';
import { createAwsJsonFake, FAKE_CREDENTIALS } from '../src/testing/aws-json-server';

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
});

describe('the AWS call recorder', () => {
  it('reads the service from the SigV4 credential scope, and nothing from an unsigned request', () => {
    expect(signingService(signed('codedeploy'))).toBe('codedeploy');
    expect(signingService({})).toBeUndefined();
    expect(signingService({ authorization: 'Bearer token' })).toBeUndefined();
  });

  it('records the calls a fake answers while recording, as service:operation with their input', async () => {
    const fake = createAwsJsonFake({ GetDeployment: () => ({ deploymentInfo: {} }) });
    const client = new CodeDeployClient({
      region: 'eu-west-1',
      credentials: FAKE_CREDENTIALS,
      requestHandler: fake.requestHandler,
    });
    await client.send(new GetDeploymentCommand({ deploymentId: 'd-BEFORE' }));
    const { result, calls } = await recordAwsCalls(async () => {
      await client.send(new GetDeploymentCommand({ deploymentId: 'd-DURING' }));
      recordAwsCall({}, 'Unsigned');
      return 'done';
    });
    await client.send(new GetDeploymentCommand({ deploymentId: 'd-AFTER' }));
    expect(result).toBe('done');
    expect(calls).toEqual([{ service: 'codedeploy', operation: 'GetDeployment', input: { deploymentId: 'd-DURING' } }]);
    expect(fake.calls).toHaveLength(3);
  });
});
