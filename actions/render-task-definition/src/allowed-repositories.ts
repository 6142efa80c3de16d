import { parseList } from '@berth/kit';
import { parseImageReference } from './image-reference';

export const ALLOWED_REPOSITORIES_INPUT = 'allowed-image-repositories';

/**
 * Reads the allowed repositories: one `registry/path` per item, the registry named in full and no tag or digest
 * (an allow-list entry names a repository, not one image of it). Returns them normalised, as
 * ImageReference.repository, with a problem per bad item.
 */
export function parseAllowedRepositories(
  text: string,
  inputName = ALLOWED_REPOSITORIES_INPUT,
): { repositories: string[]; problems: string[] } {
  const repositories: string[] = [];
  const problems: string[] = [];
  const example = 'for example 123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway';
  for (const item of parseList(text)) {
    const at = `input "${inputName}" item "${item}"`;
    const { reference, problem } = parseImageReference(item);
    if (!reference) problems.push(`${at} is not a repository: ${problem}; write registry/path, ${example}`);
    else if (reference.tag !== undefined)
      problems.push(`${at} has a tag (":${reference.tag}"): list the repository alone, ${example}`);
    else if (reference.digest !== undefined)
      problems.push(`${at} has a digest ("@${reference.digest}"): list the repository alone, ${example}`);
    else if (!reference.explicitRegistry)
      problems.push(
        `${at} names no registry host: write the registry in full (docker.io/${reference.path} for Docker Hub), ${example}`,
      );
    else if (!repositories.includes(reference.repository)) repositories.push(reference.repository);
  }
  return { repositories, problems };
}

/**
 * A problem for every container whose image is not from one of the allowed repositories (registry and path
 * compared exactly; tag and digest ignored). An empty list allows every image.
 */
export function disallowedImageProblems(
  containers: readonly unknown[],
  allowed: readonly string[],
  inputName = ALLOWED_REPOSITORIES_INPUT,
): string[] {
  if (allowed.length === 0) return [];
  const problems: string[] = [];
  containers.forEach((container, index) => {
    if (typeof container !== 'object' || container === null) return;
    const { name, image } = container as { name?: unknown; image?: unknown };
    // A missing image is already a validation problem of its own.
    if (typeof image !== 'string' || image.trim() === '') return;
    const label = `containerDefinitions[${index}]${typeof name === 'string' ? ` (${name})` : ''}.image "${image}"`;
    const { reference, problem } = parseImageReference(image);
    if (!reference) {
      problems.push(`${label} is not a valid image reference (${problem}), so "${inputName}" cannot allow it`);
    } else if (!allowed.includes(reference.repository)) {
      problems.push(
        `${label} is from repository ${reference.repository}, which "${inputName}" does not list ` +
          `(${allowed.join(', ')}): use an image from one of those repositories, or add its repository to the input`,
      );
    }
  });
  return problems;
}
