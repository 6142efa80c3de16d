import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsReadServer, type AwsReadServer } from '../aws-read-server.ts';

/** A query-protocol request signed the way the provider signs them (only the credential scope matters here). */
async function call(server: AwsReadServer, service: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=offline-plan/20250101/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('the offline plan AWS read server', () => {
  let server: AwsReadServer;
  beforeAll(async () => {
    server = await startAwsReadServer({ accountId: '444455556666', zoneLetters: ['a', 'b'] });
  });
  afterAll(() => server.close());

  it('answers GetCallerIdentity with the configured account', async () => {
    const { status, text } = await call(server, 'sts', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(status).toBe(200);
    expect(text).toContain('<Account>444455556666</Account>');
    expect(text).toContain('<Arn>arn:aws:iam::444455556666:user/berth-offline-plan</Arn>');
  });

  it('answers DescribeAvailabilityZones with zones of the region the request was signed for', async () => {
    const { status, text } = await call(server, 'ec2', 'Action=DescribeAvailabilityZones&Version=2016-11-15');
    expect(status).toBe(200);
    expect([...text.matchAll(/<zoneName>([^<]+)<\/zoneName>/g)].map((match) => match[1])).toEqual([
      'eu-west-1a',
      'eu-west-1b',
    ]);
    expect(text).toContain('<zoneState>available</zoneState>');
  });

  it('refuses any other call with an error that names it and says what to do', async () => {
    const { status, text } = await call(server, 'rds', 'Action=DescribeDBInstances&Version=2014-10-31');
    expect(status).toBe(400);
    expect(text).toContain('not rds:DescribeDBInstances; pass that value in as a variable');
  });

  it('records every call in order', () => {
    expect(server.calls).toEqual([
      { service: 'sts', action: 'GetCallerIdentity', region: 'eu-west-1' },
      { service: 'ec2', action: 'DescribeAvailabilityZones', region: 'eu-west-1' },
      { service: 'rds', action: 'DescribeDBInstances', region: 'eu-west-1' },
    ]);
  });
});
