import { DescribeServicesCommand, DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';

export type EcsSender = Pick<ECSClient, 'send'>;

/** One ECS service as it runs: its primary deployment's task definition and its counts. */
export interface RunningService {
  serviceName: string;
  taskDefinitionArn: string;
  desiredCount: number;
  runningCount: number;
  taskDefinition: RunningTaskDefinition;
}

export interface RunningTaskDefinition {
  family: string;
  revision: number;
  cpu?: string;
  memory?: string;
  containerDefinitions: {
    name: string;
    image?: string;
    cpu?: number;
    memory?: number;
    environment?: { name?: string; value?: string }[];
    secrets?: { name?: string; valueFrom?: string }[];
  }[];
}

/** DescribeServices takes at most 10 services per call. */
const SERVICES_PER_CALL = 10;

/**
 * What runs in the cluster for each named service (DescribeServices, then DescribeTaskDefinition once per
 * revision). A service that does not exist (or is INACTIVE) is absent from the result.
 */
export async function describeRunningServices(
  ecs: EcsSender,
  cluster: string,
  serviceNames: readonly string[],
): Promise<Map<string, RunningService>> {
  const running = new Map<string, RunningService>();
  const definitions = new Map<string, Promise<RunningTaskDefinition>>();
  const describe = (arn: string): Promise<RunningTaskDefinition> => {
    let found = definitions.get(arn);
    if (!found) {
      found = ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })).then((response) => {
        const definition = response.taskDefinition;
        if (!definition) throw new Error(`DescribeTaskDefinition returned no task definition for ${arn}`);
        return definition as RunningTaskDefinition;
      });
      definitions.set(arn, found);
    }
    return found;
  };
  for (let start = 0; start < serviceNames.length; start += SERVICES_PER_CALL) {
    const response = await ecs.send(
      new DescribeServicesCommand({ cluster, services: serviceNames.slice(start, start + SERVICES_PER_CALL) }),
    );
    for (const service of response.services ?? []) {
      if (!service.serviceName || service.status === 'INACTIVE') continue;
      const primary = service.deployments?.find((deployment) => deployment.status === 'PRIMARY');
      const arn = primary?.taskDefinition ?? service.taskDefinition;
      if (!arn) continue;
      running.set(service.serviceName, {
        serviceName: service.serviceName,
        taskDefinitionArn: arn,
        desiredCount: service.desiredCount ?? 0,
        runningCount: service.runningCount ?? 0,
        taskDefinition: await describe(arn),
      });
    }
  }
  return running;
}
