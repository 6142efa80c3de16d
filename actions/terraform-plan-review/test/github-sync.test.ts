import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driftMarker, syncDriftIssue } from '../src/drift-issue';
import { syncStickyComments } from '../src/sticky-comment';
import { BOT, startFakeGitHub, type FakeGitHub } from './fake-github';

const MARKER = '<!-- berth:terraform-plan-review -->';
const PART = '<!-- berth:terraform-plan-review part -->';
let github: FakeGitHub;
const client = () => getOctokit(github.token, { baseUrl: github.url });

beforeEach(async () => {
  github = await startFakeGitHub();
  github.addPullRequest(7);
});
afterEach(() => github.close());

describe('syncStickyComments', () => {
  const sync = (bodies: string[]) =>
    syncStickyComments(client(), {
      owner: 'acme',
      repo: 'berth',
      issueNumber: 7,
      marker: MARKER,
      partMarker: PART,
      bodies,
      author: BOT,
    });
  const bodies = () => github.issues.get(7)!.comments.map((comment) => comment.body);

  it('keeps one review per pull request: created once, updated on the next push, overflow added and removed', async () => {
    const first = await sync([`${MARKER}\nplan 1`, `${PART}\npart a`]);
    expect(first).toMatchObject({ created: 2, updated: 0, deleted: 0 });
    expect(first.url).toMatch(/#issuecomment-\d+$/);
    const mainId = github.issues.get(7)!.comments[0]!.id;

    const second = await sync([`${MARKER}\nplan 2`, `${PART}\npart b`, `${PART}\npart c`]);
    expect(second).toMatchObject({ created: 1, updated: 2, deleted: 0 });
    expect(github.issues.get(7)!.comments[0]!.id).toBe(mainId);
    expect(bodies()).toEqual([`${MARKER}\nplan 2`, `${PART}\npart b`, `${PART}\npart c`]);

    const third = await sync([`${MARKER}\nplan 3`]);
    expect(third).toMatchObject({ created: 0, updated: 1, deleted: 2 });
    expect(bodies()).toEqual([`${MARKER}\nplan 3`]);

    expect(await sync([`${MARKER}\nplan 3`])).toMatchObject({ unchanged: 1, created: 0, updated: 0, deleted: 0 });
  });

  it("never edits someone else's comment that quotes the marker", async () => {
    github.seedComment(7, `${MARKER}\nfake review by a stranger`, 'mallory');
    github.seedComment(7, `${PART}\nfake part`, 'mallory');
    await sync([`${MARKER}\nreal review`]);
    expect(bodies()).toEqual([`${MARKER}\nfake review by a stranger`, `${PART}\nfake part`, `${MARKER}\nreal review`]);
  });

  it('pages through long discussions to find the review again', async () => {
    await sync([`${MARKER}\nfirst`]);
    for (let i = 0; i < 130; i++) github.seedComment(7, `comment ${i}`, 'someone');
    await sync([`${MARKER}\nsecond`]);
    const ours = github.issues.get(7)!.comments.filter((comment) => comment.body.startsWith(MARKER));
    expect(ours.map((comment) => comment.body)).toEqual([`${MARKER}\nsecond`]);
  });
});

describe('syncDriftIssue', () => {
  const sync = (environment: string, drift: string | undefined) =>
    syncDriftIssue(client(), {
      owner: 'acme',
      repo: 'berth',
      environment,
      drift,
      runUrl: 'https://run/1',
      author: BOT,
    });
  const openDrift = () =>
    [...github.issues.values()].filter(
      (issue) => issue.state === 'open' && issue.labels.some((l) => l.name === 'drift'),
    );

  it('opens one issue per environment, updates it while drift lasts, closes it when drift is gone', async () => {
    expect(await sync('prod', undefined)).toEqual({ action: 'none' });
    const opened = await sync('prod', 'service api-gateway runs revision 3');
    expect(opened.action).toBe('opened');
    expect(await sync('staging', 'other drift')).toMatchObject({ action: 'opened' });
    expect(await sync('prod', 'service api-gateway runs revision 4')).toMatchObject({
      action: 'updated',
      number: opened.number,
    });
    expect(await sync('prod', 'service api-gateway runs revision 4')).toMatchObject({ action: 'unchanged' });
    expect(
      openDrift()
        .map((issue) => issue.title)
        .sort(),
    ).toEqual(['Drift in prod', 'Drift in staging']);
    const prod = github.issues.get(opened.number!)!;
    expect(prod.body).toBe(`${driftMarker('prod')}\nservice api-gateway runs revision 4`);

    expect(await sync('prod', undefined)).toMatchObject({ action: 'closed', number: opened.number });
    expect(prod).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(prod.comments.at(-1)!.body).toBe('No drift in prod any more ([run](https://run/1)): closing.');
    expect(openDrift().map((issue) => issue.title)).toEqual(['Drift in staging']);

    // Drift that comes back later gets a new issue, and still only one.
    expect(await sync('prod', 'again')).toMatchObject({ action: 'opened' });
    expect(await sync('prod', 'again, still')).toMatchObject({ action: 'updated' });
    expect(openDrift()).toHaveLength(2);
  });
});
