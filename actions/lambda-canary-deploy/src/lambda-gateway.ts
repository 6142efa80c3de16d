import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';

/** The alias CodeDeploy shifts: the version it points at and any traffic already split to another one. */
export interface AliasState {
  version: string;
  /** Version → share of the alias's traffic (0-1) beyond the main version; non-empty while a shift is under way. */
  additionalWeights: Record<string, number>;
}

/** The Lambda calls a code deployment makes. */
export interface LambdaGateway {
  getAlias(functionName: string, alias: string): Promise<AliasState>;
  /** A version's (or $LATEST's, without qualifier) code hash, configuration and update status. */
  getConfiguration(functionName: string, qualifier?: string): Promise<FunctionConfiguration>;
  updateCode(functionName: string, zip: Uint8Array): Promise<FunctionConfiguration>;
  /** Publishes $LATEST if its code hash is `codeSha256`; Lambda returns the last version when nothing changed. */
  publishVersion(functionName: string, codeSha256: string, description: string): Promise<string>;
}

export function createLambdaGateway(client: Pick<LambdaClient, 'send'>): LambdaGateway {
  return {
    async getAlias(functionName, alias) {
      const response = await client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
      if (!response.FunctionVersion) throw new Error(`GetAlias returned no version for ${functionName}:${alias}`);
      return {
        version: response.FunctionVersion,
        additionalWeights: response.RoutingConfig?.AdditionalVersionWeights ?? {},
      };
    },
    getConfiguration: (functionName, qualifier) =>
      client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier })),
    updateCode: (functionName, zip) =>
      client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip, Publish: false })),
    async publishVersion(functionName, codeSha256, description) {
      const response = await client.send(
        new PublishVersionCommand({ FunctionName: functionName, CodeSha256: codeSha256, Description: description }),
      );
      if (!response.Version) throw new Error(`PublishVersion returned no version for ${functionName}`);
      return response.Version;
    },
  };
}
