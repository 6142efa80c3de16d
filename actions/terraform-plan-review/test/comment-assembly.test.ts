import { beforeAll, describe, expect, it } from 'vitest';
import { assembleComments, chunkLines, GITHUB_COMMENT_LIMIT } from '../src/comment-assembly';
import type { EnvironmentReport } from '../src/environment-report';
import type { PlanJson } from '../src/plan-json';
import { summarizePlan } from '../src/plan-summary';
import { renderPlanText } from '../src/plan-text';
import { fixturePlan, prodPlatformPlan, setup } from './real-plans';
import { skipWithoutTerraform } from '@berth/terraform-harness';

const OPTIONS = {
  marker: '<!-- berth:terraform-plan-review -->',
  partMarker: '<!-- berth:terraform-plan-review part -->',
  commit: '0123456789abcdef0123456789abcdef01234567',
  summaryUrl: 'https://github.com/acme/berth/actions/runs/42',
};

function reportOf(environment: string, plan: PlanJson): EnvironmentReport {
  return { environment, summary: summarizePlan(plan), planText: renderPlanText(plan), releases: [], notes: [] };
}

/** The plan text a set of comments carries, with the details/code-block wrapping of each piece removed. */
function plansIn(comments: string[]): string {
  return comments
    .flatMap((comment) => [
      ...comment.matchAll(/<summary>[^<]*<\/summary>\n\n(```|~~~~)\n([\s\S]*?)\n\1\n<\/details>/g),
    ])
    .map((match) => match[2])
    .join('\n');
}

describe('comments from real plans', () => {
  const found = setup;
  if ('missing' in found) {
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, found));
    return;
  }
  const ready = found;
  let fixture: EnvironmentReport;
  let prod: EnvironmentReport;
  beforeAll(async () => {
    const [small, large] = await Promise.all([fixturePlan(ready), prodPlatformPlan(ready)]);
    fixture = reportOf('dev', small);
    prod = reportOf('prod', large);
  }, 600_000);

  it('a small plan fits in one comment: counts, replaced and destroyed first, then the full plan', () => {
    const { comments, plansIn: where } = assembleComments([fixture], OPTIONS);
    expect(where).toBe('main-comment');
    expect(comments).toHaveLength(1);
    const body = comments[0]!;
    expect(body.startsWith(OPTIONS.marker)).toBe(true);
    expect(body).toContain('| dev | 1 | 1 | **1** | **1** | 0 |');
    const replaced = body.indexOf('**Replaced (1)**\n\n- `terraform_data.release`');
    const destroyed = body.indexOf('**Destroyed (1)**\n\n- `terraform_data.retired[0]`');
    const fullPlan = body.indexOf('<details><summary>Full plan: dev</summary>');
    expect(replaced).toBeGreaterThan(0);
    expect(destroyed).toBeGreaterThan(replaced);
    expect(fullPlan).toBeGreaterThan(destroyed);
    expect(plansIn(comments)).toBe(fixture.planText);
  });

  it('plans of over 200 kB are split over comments within the limit, every plan kept whole and in order', () => {
    const staging = { ...prod, environment: 'staging' };
    expect(fixture.planText.length + staging.planText.length + prod.planText.length).toBeGreaterThan(200_000);
    const { comments, plansIn: where, jobSummary } = assembleComments([fixture, staging, prod], OPTIONS);
    expect(where).toBe('overflow-comments');
    expect(comments.length).toBeGreaterThan(3);
    for (const body of comments) expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comments[0]).toContain(`full plans in the ${comments.length - 1} comments after this one`);
    expect(comments[0]).toContain('| prod | ');
    for (const body of comments.slice(1)) expect(body.startsWith(OPTIONS.partMarker)).toBe(true);
    expect(plansIn(comments)).toBe(`${fixture.planText}\n${staging.planText}\n${prod.planText}`);
    expect(jobSummary).toContain(prod.planText);
  });

  it('past the comment budget the full plans move to the job summary, linked from one comment', () => {
    const { comments, plansIn: where, jobSummary } = assembleComments([prod], { ...OPTIONS, maxComments: 2 });
    expect(where).toBe('job-summary');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain(`[job summary](${OPTIONS.summaryUrl})`);
    expect(comments[0]!.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(jobSummary).toContain(prod.planText);
  });

  it('never fails for size: thousands of addresses shorten the lists instead', () => {
    const many = { ...prod, summary: { ...prod.summary, addresses: { ...prod.summary.addresses } } };
    many.summary.addresses.destroy = Array.from({ length: 5000 }, (_, i) => `module.huge.aws_s3_object.file[${i}]`);
    many.summary.counts = { ...prod.summary.counts, destroy: 5000 };
    const { comments } = assembleComments([many], { ...OPTIONS, maxComments: 1 });
    expect(comments).toHaveLength(1);
    expect(comments[0]!.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comments[0]).toMatch(/… and \d+ more \(see the full plan\)/);
  });
});

describe('chunkLines', () => {
  it('cuts at newlines, splits a line longer than a chunk, and loses nothing', () => {
    const text = ['a'.repeat(3), 'b'.repeat(12), 'c', 'd'.repeat(4)].join('\n');
    const chunks = chunkLines(text, 5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(5);
    expect(chunks).toEqual(['aaa', 'bbbbb', 'bbbbb', 'bb\nc', 'dddd']);
    expect(chunkLines('', 5)).toEqual(['']);
  });
});
