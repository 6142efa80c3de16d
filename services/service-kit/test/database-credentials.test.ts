import { afterEach, describe, expect, it, vi } from 'vitest';
import { CurrentCredentials, type CredentialSource } from '../src/database-credentials.ts';
import { DatabaseUnavailableError } from '../src/errors.ts';
import { secretCredentials } from '../src/secrets-manager-credentials.ts';

function countingSource(passwords: string[]): CredentialSource & { reads: number } {
  const source = {
    reads: 0,
    description: 'test source',
    async read() {
      const password = passwords[Math.min(source.reads, passwords.length - 1)];
      source.reads += 1;
      return { user: 'app', password };
    },
  };
  return source;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CurrentCredentials', () => {
  it('reads once for any number of connections, and again after the database refused them', async () => {
    const source = countingSource(['one', 'two']);
    const credentials = new CurrentCredentials(source);
    const first = await Promise.all([credentials.get(), credentials.get(), credentials.get()]);
    expect(first.map((c) => c.password)).toEqual(['one', 'one', 'one']);
    expect(source.reads).toBe(1);
    credentials.invalidate();
    expect((await credentials.get()).password).toBe('two');
    expect(source.reads).toBe(2);
  });

  it('spaces re-reads after repeated refusals, so a wrong secret is not read in a loop', async () => {
    vi.useFakeTimers();
    const source = countingSource(['one', 'two', 'three']);
    const credentials = new CurrentCredentials(source, 1_000);
    await credentials.get();
    credentials.invalidate();
    await credentials.get();
    credentials.invalidate();
    expect((await credentials.get()).password).toBe('two');
    expect(source.reads).toBe(2);
    vi.advanceTimersByTime(1_000);
    expect((await credentials.get()).password).toBe('three');
  });

  it('reports a failed read as the database being unavailable, and tries again next time', async () => {
    let fail = true;
    const credentials = new CurrentCredentials({
      description: 'flaky source',
      read: async () => {
        if (fail) throw new Error('throttled');
        return { user: 'app', password: 'p' };
      },
    });
    await expect(credentials.get()).rejects.toThrow(DatabaseUnavailableError);
    await expect(credentials.get()).rejects.toThrow(
      'could not read the database credentials (flaky source): throttled',
    );
    fail = false;
    expect(await credentials.get()).toEqual({ user: 'app', password: 'p' });
  });
});

describe('secretCredentials', () => {
  const reader = (text: string) => ({ secretString: async () => text });

  it('reads the username and password RDS and the rotation templates store', async () => {
    const source = secretCredentials(reader('{"username":"app","password":"s3cret","engine":"postgres"}'), 'arn:x');
    expect(await source.read()).toEqual({ user: 'app', password: 's3cret' });
    expect(source.description).toBe('Secrets Manager secret arn:x');
  });

  it('names the secret and the shape it needs when the value is wrong', async () => {
    await expect(secretCredentials(reader('plain text'), 'arn:x').read()).rejects.toThrow(
      'secret arn:x is not JSON; store {"username": "…", "password": "…"}',
    );
    await expect(secretCredentials(reader('{"password":"p"}'), 'arn:x').read()).rejects.toThrow(
      'secret arn:x lacks a string "username" and "password"',
    );
  });
});
