import { knownString, moduleAddressOf } from '../platform-plan.ts';
import { passRole, rolesTrusting } from './iam.ts';
import { arn, type Call, type ResourceCalls } from './resource-calls.ts';

export const codedeployCalls: Record<string, ResourceCalls> = {
  aws_codedeploy_app: (subject) => {
    const application = arn(subject.at, 'codedeploy', `application:${knownString(subject.resource, 'name')}`);
    const on = (action: string): Call => ({ action: `codedeploy:${action}`, resource: application });
    return {
      read: [on('GetApplication'), on('ListTagsForResource')],
      create: [on('CreateApplication'), on('TagResource')],
      update: [on('UpdateApplication'), on('TagResource')],
      delete: [on('DeleteApplication')],
    };
  },

  aws_codedeploy_deployment_group: (subject) => {
    const application = knownString(subject.resource, 'app_name');
    const group = arn(
      subject.at,
      'codedeploy',
      `deploymentgroup:${application}/${knownString(subject.resource, 'deployment_group_name')}`,
    );
    const on = (action: string): Call => ({ action: `codedeploy:${action}`, resource: group });
    const configuration = knownString(subject.resource, 'deployment_config_name');
    const serviceRole = subject.resource.values.service_role_arn;
    const roles =
      typeof serviceRole === 'string' && serviceRole !== ''
        ? [serviceRole]
        : rolesTrusting(subject, 'codedeploy.amazonaws.com', moduleAddressOf(subject.resource));
    return {
      read: [
        on('GetDeploymentGroup'),
        on('ListTagsForResource'),
        // AWS's own configurations (CodeDeployDefault.…), shared by every environment.
        {
          action: 'codedeploy:GetDeploymentConfig',
          resource: arn(subject.at, 'codedeploy', `deploymentconfig:${configuration}`),
          scope: 'account',
        },
      ],
      create: [
        on('CreateDeploymentGroup'),
        on('TagResource'),
        ...roles.map((role) => passRole(role, 'codedeploy.amazonaws.com')),
      ],
      update: [on('UpdateDeploymentGroup'), ...roles.map((role) => passRole(role, 'codedeploy.amazonaws.com'))],
      delete: [on('DeleteDeploymentGroup')],
    };
  },
};
