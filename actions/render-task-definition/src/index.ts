import { runAction, awsClientConfig } from '@berth/kit';
import { ECRClient, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
await runAction(async () => {
  const c = new ECRClient(awsClientConfig({ action: 'x', version: '1' }));
  core.info(typeof DescribeImagesCommand + String(!!c));
  core.setOutput('a', 'b');
});
