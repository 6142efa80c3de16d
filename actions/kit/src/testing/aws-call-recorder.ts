import type { IncomingHttpHeaders } from 'node:http';

/** One AWS request a fake answered: the service it was signed for, the operation, and its input. */
export interface RecordedAwsCall {
  /** The SigV4 signing name, which is the IAM service prefix for the services Berth calls (ecs, ecr, lambda…). */
  service: string;
  operation: string;
  input: Record<string, unknown>;
}

/** The recordings in progress; the fakes add each call they answer to every one of them. */
const recordings: RecordedAwsCall[][] = [];

/** The service of a SigV4-signed request, from its credential scope (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`). */
export function signingService(headers: IncomingHttpHeaders | Record<string, string>): string | undefined {
  const authorization = headers.authorization ?? headers.Authorization;
  const match = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(authorization ?? ''));
  return match?.[1];
}

/**
 * Called by a fake for each request it answers. An unsigned request is no AWS call (IAM never sees it), so it is
 * not recorded; nor is anything while no recording runs.
 */
export function recordAwsCall(
  headers: IncomingHttpHeaders | Record<string, string>,
  operation: string,
  input: Record<string, unknown> = {},
): void {
  const service = signingService(headers);
  if (service === undefined) return;
  for (const calls of recordings) calls.push({ service, operation, input });
}

/** Runs `body` and returns, with its result, every AWS call the fakes answered meanwhile, in order. */
export async function recordAwsCalls<T>(body: () => Promise<T>): Promise<{ result: T; calls: RecordedAwsCall[] }> {
  const calls: RecordedAwsCall[] = [];
  recordings.push(calls);
  try {
    return { result: await body(), calls };
  } finally {
    recordings.splice(recordings.indexOf(calls), 1);
  }
}
