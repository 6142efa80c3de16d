/**
 * Fields `DescribeTaskDefinition` returns that `RegisterTaskDefinition` refuses. A definition copied from a
 * live one carries them: render-task-definition reports them, ecs-rollout drops them before comparing or
 * registering.
 */
export const TASK_DEFINITION_READ_ONLY_FIELDS: readonly string[] = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
];
