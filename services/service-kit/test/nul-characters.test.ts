import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentCredentials, staticCredentials } from '../src/database-credentials.ts';
import type { Database } from '../src/database.ts';
import { createPostgresDatabase } from '../src/postgres-database.ts';
import { createServiceApp, type ValidationProblem } from '../src/service-app.ts';
import { createScratchDatabase, type ScratchDatabase } from '../src/testing/backends.ts';
import { silentLogger } from '../src/testing/silent-logger.ts';

// PostgreSQL cannot store U+0000 in text: a NUL that reaches it is SQLSTATE 22021 (or 22P05 inside JSON), which
// used to become a 500. Every service's request schemas refuse it up front; the error handler maps the two codes
// to the service's validation answer for anything a schema does not describe.

const NUL = '\u0000';

describe('every string a route schema accepts refuses NUL', () => {
  const app = createServiceApp({ logger: silentLogger() });
  app.post(
    '/things/:name',
    {
      schema: {
        params: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
        querystring: { type: 'object', properties: { tag: { type: 'string' }, mode: { enum: ['a', 'b'] } } },
        body: {
          type: 'object',
          properties: {
            note: { type: ['string', 'null'] },
            labels: { type: 'array', items: { type: 'string' } },
            nested: { type: 'object', properties: { deep: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
            free: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
    async (request) => ({ ok: true, body: request.body }),
  );

  afterAll(() => app.close());

  const send = (url: string, body: unknown) => app.inject({ method: 'POST', url, payload: body as object });

  it('accepts the same requests without a NUL', async () => {
    const answer = await send('/things/x?tag=t', {
      note: null,
      labels: ['a'],
      nested: { deep: 'd' },
      free: { k: 'v' },
    });
    expect(answer.statusCode, answer.body).toBe(200);
  });

  it.each([
    ['a path parameter', '/things/x%00y', {}, 'params/name'],
    ['a query value', '/things/x?tag=%00', {}, 'querystring/tag'],
    ['a nullable body field', '/things/x', { note: `a${NUL}` }, 'body/note'],
    ['an array item', '/things/x', { labels: ['ok', NUL] }, 'body/labels/1'],
    ['a string inside anyOf', '/things/x', { nested: { deep: NUL } }, 'body/nested/deep'],
    ['an additional property', '/things/x', { free: { k: NUL } }, 'body/free/k'],
  ])('refuses a NUL in %s with 422 naming the field', async (_what, url, body, location) => {
    const answer = await send(url, body);
    expect(answer.statusCode, answer.body).toBe(422);
    const parsed = answer.json<{ detail: string; errors: ValidationProblem[] }>();
    // anyOf adds its branches' problems; the NUL is among them.
    expect(parsed.errors).toContainEqual({ location, message: 'must not contain NUL characters (U+0000)' });
    expect(parsed.detail).toContain(`${location} must not contain NUL characters (U+0000)`);
  });

  it('leaves the route schema objects it was given unchanged (they are shared with responses and other routes)', () => {
    const shared = { type: 'object', properties: { text: { type: 'string' } } } as const;
    const other = createServiceApp({ logger: silentLogger() });
    other.post('/a', { schema: { body: shared } }, async () => ({}));
    expect(shared).toEqual({ type: 'object', properties: { text: { type: 'string' } } });
    return other.close();
  });
});

describe('a NUL that reaches PostgreSQL is a client error, not a 500 (real PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: Database;
  const app = createServiceApp({
    logger: silentLogger(),
    // A service's own validation shape is used for the database's refusal too.
    validationResponse: (problems) => ({ statusCode: 400, body: { detail: 'custom', errors: problems } }),
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase('nul');
    const settings = scratch.settings();
    db = createPostgresDatabase(
      settings,
      new CurrentCredentials(staticCredentials({ user: 'postgres', password: undefined })),
      silentLogger(),
    );
    // No schema: these routes stand for any value a schema does not describe reaching the database.
    app.post('/text', async (request) => db.query('SELECT $1::text AS value', [(request.body as { v: string }).v]));
    app.post('/json', async (request) => db.query('SELECT $1::jsonb AS value', [(request.body as { v: string }).v]));
    app.post('/in-transaction', async (request) =>
      db.transaction((tx) => tx.query('SELECT $1::text AS value', [(request.body as { v: string }).v])),
    );
  });

  afterAll(async () => {
    await app.close();
    await db?.close();
    await scratch?.drop();
  });

  it.each([
    ['text (SQLSTATE 22021)', '/text', `a${NUL}b`],
    ['a JSON \\u0000 escape (SQLSTATE 22P05)', '/json', '{"k": "\\u0000"}'],
    ['text in a transaction', '/in-transaction', NUL],
  ])('%s gets the service validation answer', async (_what, url, value) => {
    const answer = await app.inject({ method: 'POST', url, payload: { v: value } });
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json()).toEqual({
      detail: 'custom',
      errors: [
        {
          location: 'request',
          message:
            'contains a character the database cannot store (NUL, U+0000, or one outside its encoding); remove it and retry',
        },
      ],
    });
  });

  it('still answers the same routes for clean values', async () => {
    const answer = await app.inject({ method: 'POST', url: '/text', payload: { v: 'clean' } });
    expect(answer.json()).toEqual([{ value: 'clean' }]);
  });
});
