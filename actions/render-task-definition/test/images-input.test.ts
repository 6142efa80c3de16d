import { describe, expect, it } from 'vitest';
import { disallowedImageProblems, parseAllowedRepositories } from '../src/allowed-repositories';
import { parseImages } from '../src/images-input';

const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

describe('parseImages', () => {
  it('reads one container=image per line or comma', () => {
    expect(parseImages(`api-gateway=${ecr}/berth/api-gateway:1,\nproduct-service = nginx:1\n# note\n`)).toEqual({
      images: new Map([
        ['api-gateway', `${ecr}/berth/api-gateway:1`],
        ['product-service', 'nginx:1'],
      ]),
      problems: [],
    });
  });

  it('refuses every container given twice, even with the same image, and reports all problems at once', () => {
    const { images, problems } = parseImages('a=x:1,a=evil/x:1\nb=y:1\nb=y:1\nc=\nnonsense', '--images');
    expect(images).toEqual(new Map());
    expect(problems).toEqual([
      'input "--images": line 5 "nonsense" is not of the form key=value; write one container=image-uri per line',
      'input "--images" line 4 "c=" gives container "c" no image; write c=<image-uri>',
      'input "--images" gives container "a" 2 images (line 1 "x:1", line 1 "evil/x:1"): give each container exactly one image',
      'input "--images" gives container "b" 2 images (line 2 "y:1", line 3 "y:1"): give each container exactly one image',
    ]);
  });
});

describe('parseAllowedRepositories', () => {
  it('normalises each repository and drops repeats', () => {
    expect(
      parseAllowedRepositories(
        `${ecr}/berth/api-gateway\n${ecr}/berth/api-gateway, docker.io/nginx,Index.Docker.io/a/b`,
      ),
    ).toEqual({
      repositories: [`${ecr}/berth/api-gateway`, 'docker.io/library/nginx', 'docker.io/a/b'],
      problems: [],
    });
    expect(parseAllowedRepositories('')).toEqual({ repositories: [], problems: [] });
  });

  it('refuses a tag, a digest, a missing registry and a malformed repository, naming the input', () => {
    const { repositories, problems } = parseAllowedRepositories(
      `${ecr}/berth/api:1\n${ecr}/berth/api@sha256:${'0'.repeat(64)}\nberth/api\n${ecr}/Berth`,
    );
    expect(repositories).toEqual([]);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^input "allowed-image-repositories" item "[^"]+\/berth\/api:1" has a tag \(":1"\)/);
    expect(problems[1]).toContain('has a digest ("@sha256:000');
    expect(problems[2]).toContain(
      'item "berth/api" names no registry host: write the registry in full (docker.io/berth/api',
    );
    expect(problems[3]).toContain(`item "${ecr}/Berth" is not a repository: path part "Berth" is not valid`);
  });
});

describe('disallowedImageProblems', () => {
  const allowed = [`${ecr}/berth/api-gateway`];
  const containers = (...images: unknown[]) => images.map((image, i) => ({ name: `c${i}`, image }));

  it('allows any tag or digest of a listed repository, and anything when the list is empty', () => {
    const images = containers(`${ecr}/berth/api-gateway:1`, `${ecr}/berth/api-gateway@sha256:${'a'.repeat(64)}`);
    expect(disallowedImageProblems(images, allowed)).toEqual([]);
    expect(disallowedImageProblems(containers('docker.io/attacker/x:1'), [])).toEqual([]);
  });

  it('refuses other registries, look-alike paths and unreadable images; leaves missing ones to validation', () => {
    const problems = disallowedImageProblems(
      containers(
        'docker.io/attacker/x:1',
        `${ecr}/berth/api-gateway-evil:1`,
        `${ecr}/berth/api-gateway/extra:1`,
        `123456789013.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway:1`,
        `${ecr}/berth/api-gateway:a b`,
        undefined,
      ),
      allowed,
    );
    expect(problems).toHaveLength(5);
    expect(problems[0]).toBe(
      'containerDefinitions[0] (c0).image "docker.io/attacker/x:1" is from repository docker.io/attacker/x, which ' +
        `"allowed-image-repositories" does not list (${ecr}/berth/api-gateway): use an image from one of those ` +
        'repositories, or add its repository to the input',
    );
    expect(problems[1]).toContain(`from repository ${ecr}/berth/api-gateway-evil,`);
    expect(problems[2]).toContain(`from repository ${ecr}/berth/api-gateway/extra,`);
    expect(problems[3]).toContain('from repository 123456789013.dkr.ecr');
    expect(problems[4]).toContain('is not a valid image reference (it contains white space)');
  });
});
