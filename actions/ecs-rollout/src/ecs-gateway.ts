import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type ServiceDeployment,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

/** The ECS calls the rollout makes, batched where the API allows. Counting calls happens in the fake, not here. */
export interface EcsGateway {
  /** Services by name; names ECS reports missing or inactive are listed in `missing`. */
  describeServices(names: readonly string[]): Promise<{ services: Map<string, Service>; missing: string[] }>;
  describeTaskDefinition(arn: string): Promise<TaskDefinition>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<string>;
  updateService(input: {
    service: string;
    taskDefinition: string;
    desiredCount?: number;
    forceNewDeployment: boolean;
  }): Promise<Service>;
  /** ARNs of the cluster's stopped tasks of one task definition family (every revision, every service). */
  listStoppedTasks(family: string): Promise<string[]>;
  describeTasks(arns: readonly string[]): Promise<Task[]>;
  /** Service deployments by ARN: their state, rollback and the CloudWatch alarms that went off. */
  describeServiceDeployments(arns: readonly string[]): Promise<ServiceDeployment[]>;
}

/** DescribeServices accepts at most 10 services per call, DescribeTasks 100 tasks, DescribeServiceDeployments 20. */
const SERVICES_PER_CALL = 10;
const TASKS_PER_CALL = 100;
const SERVICE_DEPLOYMENTS_PER_CALL = 20;

export function createEcsGateway(client: Pick<ECSClient, 'send'>, cluster: string): EcsGateway {
  return {
    async describeServices(names) {
      const services = new Map<string, Service>();
      const missing: string[] = [];
      for (const batch of chunks(names, SERVICES_PER_CALL)) {
        const response = await client.send(new DescribeServicesCommand({ cluster, services: [...batch] }));
        for (const service of response.services ?? []) {
          if (service.serviceName && service.status !== 'INACTIVE') services.set(service.serviceName, service);
        }
      }
      for (const name of names) if (!services.has(name)) missing.push(name);
      return { services, missing };
    },
    async describeTaskDefinition(arn) {
      const response = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      if (!response.taskDefinition) throw new Error(`DescribeTaskDefinition returned no task definition for ${arn}`);
      return response.taskDefinition;
    },
    async registerTaskDefinition(input) {
      const response = await client.send(new RegisterTaskDefinitionCommand(input));
      const arn = response.taskDefinition?.taskDefinitionArn;
      if (!arn) throw new Error(`RegisterTaskDefinition returned no ARN for family ${input.family}`);
      return arn;
    },
    async updateService({ service, taskDefinition, desiredCount, forceNewDeployment }) {
      const response = await client.send(
        new UpdateServiceCommand({ cluster, service, taskDefinition, desiredCount, forceNewDeployment }),
      );
      if (!response.service) throw new Error(`UpdateService returned no service for ${service}`);
      return response.service;
    },
    async listStoppedTasks(family) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const response = await client.send(
          new ListTasksCommand({ cluster, family, desiredStatus: 'STOPPED', maxResults: TASKS_PER_CALL, nextToken }),
        );
        arns.push(...(response.taskArns ?? []));
        nextToken = response.nextToken;
      } while (nextToken);
      return arns;
    },
    async describeTasks(arns) {
      const tasks: Task[] = [];
      for (const batch of chunks(arns, TASKS_PER_CALL)) {
        const response = await client.send(new DescribeTasksCommand({ cluster, tasks: [...batch] }));
        tasks.push(...(response.tasks ?? []));
      }
      return tasks;
    },
    async describeServiceDeployments(arns) {
      const deployments: ServiceDeployment[] = [];
      for (const batch of chunks(arns, SERVICE_DEPLOYMENTS_PER_CALL)) {
        const response = await client.send(
          new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [...batch] }),
        );
        deployments.push(...(response.serviceDeployments ?? []));
      }
      return deployments;
    },
  };
}

/** `web` for `arn:aws:ecs:us-east-1:123456789012:task-definition/web:2` (or `web:2`). */
export function familyOf(taskDefinitionArn: string): string {
  return (taskDefinitionArn.split('/').pop() ?? taskDefinitionArn).replace(/:\d+$/, '');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
