import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the AWS read calls a Berth plan makes: `sts:GetCallerIdentity`
 * (data.aws_caller_identity), `ec2:DescribeAvailabilityZones` (data.aws_availability_zones) and, for the platform's
 * look-up of the secrets terraform/secrets created (data.aws_secretsmanager_secret), `secretsmanager:DescribeSecret`
 * and `GetResourcePolicy` of any name, as if it existed (ARN suffix derived from the name). Everything else a
 * plan needs (policy documents, partition, region) the provider computes without a network. Any other call is
 * answered with an error naming it, so a plan fails at once instead of retrying against a host that is not there.
 */
export interface AwsReadServerOptions {
  /** Account id GetCallerIdentity returns; default the AWS documentation account 111122223333. */
  accountId?: string;
  /** Zone letters per region DescribeAvailabilityZones returns; default a to f. */
  zoneLetters?: string[];
}

export interface AwsCall {
  service: string;
  action: string;
  region: string;
}

export interface AwsReadServer {
  /** `http://127.0.0.1:<port>`, for the provider's AWS_ENDPOINT_URL. */
  url: string;
  /** Every call received, in order (answered or not). */
  calls: AwsCall[];
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = '111122223333';
const DEFAULT_ZONE_LETTERS = ['a', 'b', 'c', 'd', 'e', 'f'];

export async function startAwsReadServer(options: AwsReadServerOptions = {}): Promise<AwsReadServer> {
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const zoneLetters = options.zoneLetters ?? DEFAULT_ZONE_LETTERS;
  const calls: AwsCall[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const call = identifyCall(request, body);
      calls.push(call);
      answer(call, body, { accountId, zoneLetters }, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Service and region come from the SigV4 credential scope; the action from the query protocol's Action field. */
export function identifyCall(request: Pick<IncomingMessage, 'headers' | 'url'>, body: string): AwsCall {
  const authorization = String(request.headers.authorization ?? '');
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const form = new URLSearchParams(body);
  return {
    region: scope?.[1] ?? 'unknown-region',
    service: scope?.[2] ?? 'unknown-service',
    action: form.get('Action') ?? query.get('Action') ?? String(request.headers['x-amz-target'] ?? 'unknown-action'),
  };
}

function answer(
  call: AwsCall,
  body: string,
  data: { accountId: string; zoneLetters: string[] },
  response: ServerResponse,
): void {
  const requestId = `offline-${Date.now()}`;
  if (call.service === 'sts' && call.action === 'GetCallerIdentity') {
    return sendXml(
      response,
      200,
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:iam::${data.accountId}:user/berth-offline-plan</Arn><UserId>AIDAOFFLINEPLAN</UserId>` +
        `<Account>${data.accountId}</Account></GetCallerIdentityResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  }
  if (call.service === 'ec2' && call.action === 'DescribeAvailabilityZones') {
    const zones = data.zoneLetters
      .map(
        (letter, index) =>
          `<item><zoneName>${call.region}${letter}</zoneName><zoneState>available</zoneState>` +
          `<regionName>${call.region}</regionName><zoneId>${call.region}-az${index + 1}</zoneId>` +
          `<zoneType>availability-zone</zoneType><groupName>${call.region}</groupName>` +
          `<networkBorderGroup>${call.region}</networkBorderGroup><optInStatus>opt-in-not-required</optInStatus>` +
          `<messages/></item>`,
      )
      .join('');
    return sendXml(
      response,
      200,
      `<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
        `<requestId>${requestId}</requestId><availabilityZoneInfo>${zones}</availabilityZoneInfo>` +
        `</DescribeAvailabilityZonesResponse>`,
    );
  }
  if (
    call.service === 'secretsmanager' &&
    (call.action.endsWith('.DescribeSecret') || call.action.endsWith('.GetResourcePolicy'))
  ) {
    const name = String((JSON.parse(body || '{}') as { SecretId?: string }).SecretId);
    // Deterministic, so the same configuration always plans the same (the plan store keys on content).
    const suffix = createHash('sha256').update(name).digest('hex').slice(0, 6);
    const arn = `arn:aws:secretsmanager:${call.region}:${data.accountId}:secret:${name}-${suffix}`;
    return sendJson(
      response,
      call.action.endsWith('.DescribeSecret')
        ? {
            ARN: arn,
            Name: name,
            CreatedDate: 1.7e9,
            LastChangedDate: 1.7e9,
            RotationEnabled: false,
            Tags: [],
            VersionIdsToStages: {},
          }
        : { ARN: arn, Name: name },
    );
  }
  const message =
    `the offline plan answers only sts:GetCallerIdentity, ec2:DescribeAvailabilityZones and secretsmanager:DescribeSecret/GetResourcePolicy, not ` +
    `${call.service}:${call.action}; pass that value in as a variable or answer it in checks/terraform/aws-read-server.ts`;
  // EC2 wraps errors in <Response><Errors>; the other query services in <ErrorResponse>.
  const errorBody =
    call.service === 'ec2'
      ? `<Response><Errors><Error><Code>BerthOfflinePlan</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
      : `<ErrorResponse><Error><Type>Sender</Type><Code>BerthOfflinePlan</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  sendXml(response, 400, errorBody);
}

function sendJson(response: ServerResponse, value: Record<string, unknown>): void {
  const text = JSON.stringify(value);
  response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendXml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
