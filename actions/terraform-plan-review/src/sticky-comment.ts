import { isByAuthor, type GitHub, type RepositoryRef } from './github';

export interface StickyCommentRequest extends RepositoryRef {
  issueNumber: number;
  /** Starts the main comment; finds it again on the next push. */
  marker: string;
  /** Starts each overflow comment. */
  partMarker: string;
  /** Main comment first, then the overflow comments (each starting with its marker). */
  bodies: readonly string[];
  /** Login whose comments are Berth's, e.g. `github-actions[bot]`. */
  author: string;
}

export interface StickyCommentOutcome {
  /** URL of the main comment. */
  url: string;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/**
 * Keeps exactly one review on the pull request: the main comment (found by its marker) is updated in place,
 * overflow comments are updated in order, new ones added and those no longer needed deleted.
 */
export async function syncStickyComments(github: GitHub, request: StickyCommentRequest): Promise<StickyCommentOutcome> {
  const { owner, repo, issueNumber } = request;
  const existing = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = existing.filter((comment) => isByAuthor(comment, request.author));
  const mains = ours.filter((comment) => comment.body?.startsWith(request.marker));
  const parts = ours.filter((comment) => comment.body?.startsWith(request.partMarker));
  const outcome: StickyCommentOutcome = { url: '', created: 0, updated: 0, unchanged: 0, deleted: 0 };
  // A second main comment (two runs that raced) is removed with the surplus parts.
  const slots = [mains[0], ...parts];
  const surplus = [...mains.slice(1)];
  for (let index = 0; index < Math.max(request.bodies.length, slots.length); index++) {
    const body = request.bodies[index];
    const comment = slots[index];
    if (body === undefined) {
      if (comment) surplus.push(comment);
      continue;
    }
    if (!comment) {
      const created = await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
      outcome.created++;
      if (index === 0) outcome.url = created.data.html_url;
    } else if (comment.body === body) {
      outcome.unchanged++;
      if (index === 0) outcome.url = comment.html_url;
    } else {
      const updated = await github.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body });
      outcome.updated++;
      if (index === 0) outcome.url = updated.data.html_url;
    }
  }
  for (const comment of surplus) {
    await github.rest.issues.deleteComment({ owner, repo, comment_id: comment.id });
    outcome.deleted++;
  }
  return outcome;
}
