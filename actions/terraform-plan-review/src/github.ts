import { getOctokit } from '@actions/github';

export type GitHub = ReturnType<typeof getOctokit>;

export interface RepositoryRef {
  owner: string;
  repo: string;
}

/** Only the bot's own comments and issues are ever edited: anyone may post a comment that contains a marker. */
export function isByAuthor(item: { user?: { login?: string } | null }, author: string): boolean {
  return item.user?.login === author;
}
