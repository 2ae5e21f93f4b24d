// next-auth turns the message of whatever `authorize` throws into the error code it sends back, so
// an unexpected failure must reach it as a bare code, never as its own text.

import { afterEach, describe, expect, it } from 'vitest';
import { closeGlobalDatabase } from '../db/pool';
import { authOptions } from './auth-options';

type Authorize = (
  credentials: Record<string, string>,
  request: { headers: Record<string, string> },
) => Promise<unknown>;

const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } })
  .options.authorize;

// The file's own database, known once the per-file set-up has run (not when this module loads).
let testDatabase: string | undefined;

afterEach(async () => {
  await closeGlobalDatabase();
  process.env.DATABASE_URL = testDatabase;
});

describe('authorize', () => {
  it('reports a failure of the database as "unavailable", without its message', async () => {
    testDatabase = process.env.DATABASE_URL;
    await closeGlobalDatabase();
    const url = new URL(testDatabase as string);
    url.pathname = '/chronicle_no_such_database';
    process.env.DATABASE_URL = url.toString();
    const refusal = authorize(
      { email: 'ada@example.com', password: 'correct horse battery staple' },
      { headers: {} },
    );
    await expect(refusal).rejects.toThrow(/^unavailable$/);
  });
});
