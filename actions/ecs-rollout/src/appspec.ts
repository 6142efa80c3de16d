import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Service } from '@aws-sdk/client-ecs';
import { ActionError } from '@berth/kit';

/**
 * The AppSpec content for an ECS blue/green deployment. Generated from the service's load balancer
 * (container name and port), or read from a JSON file whose TaskDefinition properties are set to the new ARN.
 */
export function buildAppSpec(
  service: Service,
  taskDefinitionArn: string,
  appspecPath?: string,
): { content: string; sha256: string } {
  let appspec: Record<string, unknown>;
  if (appspecPath) {
    try {
      appspec = JSON.parse(readFileSync(appspecPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ActionError(
        `input "codedeploy-appspec": cannot read ${appspecPath} as JSON (${(error as Error).message}).`,
      );
    }
    const resources = Array.isArray(appspec.Resources) ? (appspec.Resources as Record<string, unknown>[]) : [];
    const targets = resources.map(
      (r) => (r.TargetService as { Properties?: Record<string, unknown> } | undefined)?.Properties,
    );
    if (targets.length === 0 || targets.some((p) => typeof p !== 'object' || p === null)) {
      throw new ActionError(
        `input "codedeploy-appspec": ${appspecPath} has no Resources[].TargetService.Properties to put the task definition in; ` +
          'see the AppSpec "resources" section for ECS deployments.',
      );
    }
    for (const properties of targets) properties!.TaskDefinition = taskDefinitionArn;
  } else {
    const balancer = service.loadBalancers?.[0];
    if (!balancer?.containerName || balancer.containerPort === undefined) {
      throw new ActionError(
        `Service ${service.serviceName} uses CodeDeploy but has no load balancer with a container name and port to ` +
          'build the AppSpec from: give the "codedeploy-appspec" input.',
      );
    }
    appspec = {
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: taskDefinitionArn,
              LoadBalancerInfo: { ContainerName: balancer.containerName, ContainerPort: balancer.containerPort },
            },
          },
        },
      ],
    };
  }
  const content = JSON.stringify(appspec);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}
