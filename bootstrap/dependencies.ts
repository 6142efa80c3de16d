import { statSync } from 'node:fs';
import { createGitHubClient } from '@berth/kit/github/client';
import { runTerraformSilently } from '@berth/kit/terraform-cli';
import type { BootstrapDependencies } from './bootstrap.ts';
import { octokitSettings, type GitHubApi } from './github-settings.ts';
import type { BootstrapOptions, PathKind } from './options.ts';

export const pathKindOnDisk: PathKind = (path) => {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : undefined;
  } catch {
    return undefined;
  }
};

export type CreateClient = (options: BootstrapOptions, log: (line: string) => void) => GitHubApi;

/**
 * Octokit that retries 5xx with backoff, waits out rate limits and paces writes about a second apart, as GitHub
 * asks of clients making many mutating requests.
 */
export const politeClient: CreateClient = (options, log) =>
  createGitHubClient({ token: options.token, baseUrl: options.apiUrl, userAgent: 'berth-bootstrap', log });

/** The real wiring: files on disk, Terraform on PATH, Octokit against GITHUB_API_URL. */
export function realDependencies(
  out: (line: string) => void,
  err: (line: string) => void,
  createClient: CreateClient = politeClient,
): BootstrapDependencies {
  return {
    runTerraform: runTerraformSilently,
    pathKind: pathKindOnDisk,
    connect: (options) => octokitSettings(createClient(options, err), options.repository, options.apiUrl),
    out,
    err,
  };
}
