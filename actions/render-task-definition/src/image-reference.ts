/**
 * A container image reference, `[registry/]path[:tag][@digest]`, read by the grammar of the distribution
 * reference (what Docker, containerd and ECS accept), with Docker's defaults applied: no registry means
 * `docker.io`, and a one-part Docker Hub path is `library/<name>`. `repository` is `registry/path`, the part an
 * allow-list compares.
 */
export interface ImageReference {
  registry: string;
  path: string;
  repository: string;
  /** Whether the text named its registry, rather than falling back to docker.io. */
  explicitRegistry: boolean;
  tag?: string;
  digest?: string;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

/** Parses an image reference; a problem says what is wrong with it instead. */
export function parseImageReference(text: string): { reference?: ImageReference; problem?: string } {
  if (/\s/.test(text)) return { problem: 'it contains white space' };
  if (text.includes('://')) return { problem: 'it has a URL scheme: write registry/path without "https://"' };

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { problem: `"@${digest}" is not a digest such as @sha256:<64 hex digits>` };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      return {
        problem: `":${tag}" is not a tag (up to 128 letters, digits, "_", "." and "-", not starting with "." or "-")`,
      };
    }
  }
  if (rest === '') return { problem: 'it names no repository' };
  if (rest.length > MAX_NAME_LENGTH) return { problem: `its name is longer than ${MAX_NAME_LENGTH} characters` };

  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // Docker's rule: the first part is a registry when it looks like a host name.
  const explicitRegistry =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (explicitRegistry && !DOMAIN.test(first))
    return { problem: `"${first}" is not a registry host name (with an optional :port)` };
  const path = explicitRegistry ? rest.slice(slash + 1) : rest;
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      return {
        problem:
          `path part "${component}" is not valid: repository paths are lowercase letters and digits, ` +
          'joined by ".", "_", "__" or "-", with "/" between parts',
      };
    }
  }

  let registry = explicitRegistry ? first.toLowerCase() : 'docker.io';
  if (registry === 'index.docker.io') registry = 'docker.io';
  const fullPath = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return {
    reference: {
      registry,
      path: fullPath,
      repository: `${registry}/${fullPath}`,
      explicitRegistry,
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
    },
  };
}
