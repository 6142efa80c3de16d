import { awsErrorName, errorMessage, isAccessDeniedError } from '@berth/kit';

export interface EcrImageReference {
  registryId: string;
  region: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com` */
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const ECR_URI =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Splits an ECR image URI; undefined for images from other registries. */
export function parseEcrImage(uri: string): EcrImageReference | undefined {
  const match = ECR_URI.exec(uri);
  if (!match) return undefined;
  const host = uri.slice(0, uri.indexOf('/'));
  return { registryId: match[1]!, region: match[2]!, host, repository: match[3]!, tag: match[4], digest: match[5] };
}

/** Looks up a tag's digest; resolves undefined when the tag does not exist. */
export type DigestLookup = (image: EcrImageReference & { tag: string }) => Promise<string | undefined>;

export interface PinResult {
  /** container → pinned image */
  pinned: Map<string, string>;
  /** containers left as they were, with why */
  skipped: { container: string; reason: string }[];
  problems: string[];
}

/**
 * Replaces each ECR `repo:tag` image with `repo@sha256:…`, so a later push to the tag cannot change what runs. Each
 * distinct image is looked up once, so containers sharing an image (a service and its migrate container) get the
 * very same digest.
 */
export async function pinImageDigests(
  containers: { name: string; image: string }[],
  uncachedLookup: DigestLookup,
): Promise<PinResult> {
  const result: PinResult = { pinned: new Map(), skipped: [], problems: [] };
  const lookups = new Map<string, Promise<string | undefined>>();
  const lookup: DigestLookup = (image) => {
    const key = `${image.host}/${image.repository}:${image.tag}`;
    let digest = lookups.get(key);
    if (digest === undefined) {
      digest = uncachedLookup(image);
      lookups.set(key, digest);
    }
    return digest;
  };
  await Promise.all(
    containers.map(async (container) => {
      const reference = parseEcrImage(container.image);
      if (!reference) {
        result.skipped.push({ container: container.name, reason: 'not an ECR image' });
        return;
      }
      if (reference.digest) {
        result.skipped.push({ container: container.name, reason: 'already pinned to a digest' });
        return;
      }
      const tag = reference.tag ?? 'latest';
      try {
        const digest = await lookup({ ...reference, tag });
        if (!digest) {
          result.problems.push(
            `container ${container.name}: tag "${tag}" does not exist in ECR repository "${reference.repository}" ` +
              `(registry ${reference.registryId}, ${reference.region}): push the image first or fix the tag in "images"`,
          );
          return;
        }
        const pinnedImage = `${reference.host}/${reference.repository}@${digest}`;
        container.image = pinnedImage;
        result.pinned.set(container.name, pinnedImage);
      } catch (error) {
        result.problems.push(describeLookupError(container.name, reference, tag, error));
      }
    }),
  );
  return result;
}

function describeLookupError(container: string, reference: EcrImageReference, tag: string, error: unknown): string {
  const name = awsErrorName(error);
  const what = `container ${container}: cannot resolve ${reference.repository}:${tag}`;
  if (name === 'RepositoryNotFoundException') {
    return `${what}: ECR repository "${reference.repository}" does not exist in registry ${reference.registryId} (${reference.region}); check the image URI or apply the storage stack`;
  }
  if (isAccessDeniedError(error)) {
    return `${what}: access denied (${errorMessage(error)}); the role needs ecr:DescribeImages on that repository`;
  }
  return `${what}: ${errorMessage(error)}`;
}
