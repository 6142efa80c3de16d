import { createHash } from 'node:crypto';

export interface LambdaAppSpecOptions {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  /** Functions CodeDeploy invokes before and after traffic moves; they report Succeeded or Failed. */
  beforeAllowTraffic?: string;
  afterAllowTraffic?: string;
}

/** The AppSpec content of a Lambda deployment: move `alias` from the current to the target version. */
export function lambdaAppSpec(options: LambdaAppSpecOptions): { content: string; sha256: string } {
  const hooks = [
    options.beforeAllowTraffic ? { BeforeAllowTraffic: options.beforeAllowTraffic } : undefined,
    options.afterAllowTraffic ? { AfterAllowTraffic: options.afterAllowTraffic } : undefined,
  ].filter((hook) => hook !== undefined);
  const appspec = {
    version: 0.0,
    Resources: [
      {
        [resourceName(options.functionName)]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: options.functionName,
            Alias: options.alias,
            CurrentVersion: options.currentVersion,
            TargetVersion: options.targetVersion,
          },
        },
      },
    ],
    ...(hooks.length > 0 ? { Hooks: hooks } : {}),
  };
  const content = JSON.stringify(appspec);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}

/** AppSpec resource names are letters and digits; the function name may hold hyphens and underscores. */
function resourceName(functionName: string): string {
  return functionName.replace(/[^A-Za-z0-9]/g, '') || 'Function';
}
