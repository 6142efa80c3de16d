export declare const zipPath: string;

export interface LambdaBuild {
  zipPath: string;
  codeBytes: number;
  zipBytes: number;
  ms: number;
}

export declare function buildLambda(options?: { out?: string }): Promise<LambdaBuild>;
