import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../src/image-reference';

const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('parseImageReference', () => {
  it.each([
    [`${ecr}/berth/api-gateway:abc123`, `${ecr}/berth/api-gateway`, 'abc123', undefined],
    [
      `${ecr}/berth/api-gateway@sha256:${'ab'.repeat(32)}`,
      `${ecr}/berth/api-gateway`,
      undefined,
      `sha256:${'ab'.repeat(32)}`,
    ],
    [
      `${ecr}/berth/api-gateway:1@sha256:${'cd'.repeat(32)}`,
      `${ecr}/berth/api-gateway`,
      '1',
      `sha256:${'cd'.repeat(32)}`,
    ],
    ['nginx:1.27', 'docker.io/library/nginx', '1.27', undefined],
    ['attacker/x:1', 'docker.io/attacker/x', '1', undefined],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx', undefined, undefined],
    ['docker.io/nginx', 'docker.io/library/nginx', undefined, undefined],
    ['localhost:5000/team/app:v2', 'localhost:5000/team/app', 'v2', undefined],
    ['Registry.Example.COM/a/b__c-d.e', 'registry.example.com/a/b__c-d.e', undefined, undefined],
    ['public.ecr.aws/docker/library/busybox:stable', 'public.ecr.aws/docker/library/busybox', 'stable', undefined],
  ])('%s is repository %s', (text, repository, tag, digest) => {
    const { reference, problem } = parseImageReference(text);
    expect(problem).toBeUndefined();
    expect(reference?.repository).toBe(repository);
    expect(reference?.tag).toBe(tag);
    expect(reference?.digest).toBe(digest);
  });

  it('tells a named registry from a Docker Hub path', () => {
    expect(parseImageReference(`${ecr}/berth/api-gateway`).reference?.explicitRegistry).toBe(true);
    expect(parseImageReference('berth/api-gateway').reference?.explicitRegistry).toBe(false);
  });

  it.each([
    [`${ecr}/berth/api-gateway:abc/../x`, 'path part "api-gateway:abc" is not valid'],
    [`${ecr}/Berth/api`, 'path part "Berth" is not valid'],
    [`${ecr}/berth//api`, 'path part "" is not valid'],
    [`${ecr}/berth/api:`, '":" is not a tag'],
    [`${ecr}/berth/api:-x`, '":-x" is not a tag'],
    [`${ecr}/berth/api@sha256:xyz`, '"@sha256:xyz" is not a digest'],
    [`https://${ecr}/berth/api`, 'URL scheme'],
    [`${ecr}/berth/api :1`, 'white space'],
    ['bad_host.example.com/x', '"bad_host.example.com" is not a registry host name'],
    [':1', 'names no repository'],
    [`${ecr}/${'a'.repeat(260)}`, 'longer than 255'],
  ])('refuses %s', (text, why) => {
    const { reference, problem } = parseImageReference(text);
    expect(reference).toBeUndefined();
    expect(problem).toContain(why);
  });
});
