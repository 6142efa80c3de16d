/**
 * IAM policy documents as AWS reads them: `Statement`, `Action`, `Resource` and condition values may each be a
 * single value or a list. Helpers here read them in their list form so evaluators see one shape.
 */

export type ConditionBlock = Record<string, Record<string, string | string[] | boolean | number>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: Record<string, string | string[]>;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  return asList(document.Statement);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a policy document from the JSON text Terraform renders (or an already parsed value). Throws an error
 * naming `origin` when the text is not JSON or not a policy document, so a bad plan is reported where it came from.
 */
export function parsePolicyDocument(value: unknown, origin: string): PolicyDocument {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new Error(
        `${origin}: not JSON (${(error as Error).message}); got ${JSON.stringify(value.slice(0, 60))}` +
          ' — was it planned under mock_provider, where policy documents are random strings?',
      );
    }
  }
  if (!isRecord(parsed) || !('Statement' in parsed)) {
    throw new Error(
      `${origin}: not an IAM policy document (no Statement); got ${JSON.stringify(parsed)?.slice(0, 80)}`,
    );
  }
  for (const [index, statement] of asList(parsed.Statement as unknown).entries()) {
    if (!isRecord(statement) || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) {
      throw new Error(`${origin}: statement ${index + 1} has no Effect of Allow or Deny`);
    }
  }
  return parsed as unknown as PolicyDocument;
}
