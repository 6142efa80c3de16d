import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local GitHub REST API for the issue and comment endpoints the review uses (the pattern of
// ecr-secret-sync's test server): issues with labels and state, comments with authors, pagination by
// per_page/page with Link headers, a 65,536-character body limit as GitHub enforces it, every request recorded.

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
  html_url: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string;
  labels: { name: string }[];
  user: { login: string };
  html_url: string;
  comments: FakeComment[];
}

export interface FakeGitHub {
  url: string;
  token: string;
  requests: { method: string; path: string }[];
  issues: Map<number, FakeIssue>;
  /** Opens a pull request (an issue number) to comment on. */
  addPullRequest(number: number): void;
  /** A comment by someone else, e.g. one quoting the marker. */
  seedComment(issue: number, body: string, login: string): void;
  close(): Promise<void>;
}

export const BOT = 'github-actions[bot]';
const LIMIT = 65_536;

export async function startFakeGitHub(owner = 'acme', repo = 'berth'): Promise<FakeGitHub> {
  const token = 'ghs_fake_token_0123456789';
  const issues = new Map<number, FakeIssue>();
  const requests: { method: string; path: string }[] = [];
  let nextId = 1000;
  let nextNumber = 1;
  const base = `/repos/${owner}/${repo}`;
  const comment = (issue: number, body: string, login: string): FakeComment => {
    const id = nextId++;
    return {
      id,
      body,
      user: { login },
      html_url: `https://github.com/${owner}/${repo}/issues/${issue}#issuecomment-${id}`,
    };
  };
  const newIssue = (number: number, fields: Partial<FakeIssue>): FakeIssue => ({
    number,
    title: '',
    body: '',
    state: 'open',
    labels: [],
    user: { login: BOT },
    html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
    comments: [],
    ...fields,
  });
  const findComment = (id: number): { issue: FakeIssue; index: number } | undefined => {
    for (const issue of issues.values()) {
      const index = issue.comments.findIndex((c) => c.id === id);
      if (index >= 0) return { issue, index };
    }
    return undefined;
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      requests.push({ method, path: url.pathname });
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const page = (items: unknown[]): void => {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const number = Number(url.searchParams.get('page') ?? 1);
        const slice = items.slice((number - 1) * perPage, number * perPage);
        const headers: Record<string, string> = {};
        if (number * perPage < items.length) {
          const next = new URL(url);
          next.searchParams.set('page', String(number + 1));
          headers.link = `<http://${request.headers.host}${next.pathname}${next.search}>; rel="next"`;
        }
        send(200, slice, headers);
      };
      if (request.headers.authorization !== `token ${token}`) return send(401, { message: 'Bad credentials' });
      const tooLong = typeof body.body === 'string' && body.body.length > LIMIT;
      if (tooLong)
        return send(422, {
          message: 'Validation Failed',
          errors: [{ field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' }],
        });
      const path = url.pathname;
      let match: RegExpExecArray | null;
      if ((match = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(path))) {
        const issue = issues.get(Number(match[1]));
        if (!issue) return send(404, { message: 'Not Found' });
        if (method === 'GET') return page(issue.comments);
        if (method === 'POST') {
          const created = comment(issue.number, String(body.body), BOT);
          issue.comments.push(created);
          return send(201, created);
        }
      }
      if ((match = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(path))) {
        const found = findComment(Number(match[1]));
        if (!found) return send(404, { message: 'Not Found' });
        const existing = found.issue.comments[found.index]!;
        if (existing.user.login !== BOT) return send(403, { message: 'Resource not accessible by integration' });
        if (method === 'PATCH') {
          existing.body = String(body.body);
          return send(200, existing);
        }
        if (method === 'DELETE') {
          found.issue.comments.splice(found.index, 1);
          return send(204);
        }
      }
      if (path === `${base}/issues`) {
        if (method === 'GET') {
          const state = url.searchParams.get('state') ?? 'open';
          const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
          return page(
            [...issues.values()].filter(
              (issue) =>
                (state === 'all' || issue.state === state) &&
                labels.every((label) => issue.labels.some((l) => l.name === label)),
            ),
          );
        }
        if (method === 'POST') {
          const number = nextNumber++;
          const created = newIssue(number, {
            title: String(body.title),
            body: String(body.body ?? ''),
            labels: ((body.labels as string[]) ?? []).map((name) => ({ name })),
          });
          issues.set(number, created);
          return send(201, created);
        }
      }
      if ((match = new RegExp(`^${base}/issues/(\\d+)$`).exec(path)) && method === 'PATCH') {
        const issue = issues.get(Number(match[1]));
        if (!issue) return send(404, { message: 'Not Found' });
        if (typeof body.body === 'string') issue.body = body.body;
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason;
        return send(200, issue);
      }
      send(404, { message: `the fake has no ${method} ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    issues,
    addPullRequest(number) {
      issues.set(number, newIssue(number, { title: `PR ${number}` }));
      nextNumber = Math.max(nextNumber, number + 1);
    },
    seedComment(issue, body, login) {
      issues.get(issue)!.comments.push(comment(issue, body, login));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
