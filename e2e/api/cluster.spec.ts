// `npm start` serves with one worker per core. Against a server of two workers (no Redis: what
// must reach every worker goes through PostgreSQL), the API keeps every promise it makes with
// one: refusals arrive typed, a repeated key has one effect, and a revoked key stops working on
// every worker, not only on the one that heard of it first.

import { readFileSync } from 'node:fs';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { revokeApiKey } from '../../lib/server/api-keys/revoke-api-key';
import { startOwnServer, processTree, type OwnServer } from '../support/own-server';
import { E2E_OWN_SERVER_PORT } from '../support/ports';
import {
  client,
  createTestApiKey,
  expectOneEffectPerKey,
  expectOnlyWhatFitsSucceeds,
} from './support';

let server: OwnServer;

test.beforeAll(async () => {
  server = await startOwnServer(E2E_OWN_SERVER_PORT, { WEB_CONCURRENCY: '2', REDIS_URL: '' });
});

test.afterAll(async () => {
  await server?.stop();
});

async function clusterClient(key: string) {
  const context = await playwrightRequest.newContext({ baseURL: server.url });
  return { api: client(context, key), dispose: () => context.dispose() };
}

test('a supervisor and two workers serve', () => {
  const serving = processTree(server.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('scripts/serve.ts');
    } catch {
      return false;
    }
  });
  // tsx's own launcher, the supervisor, and its two workers.
  expect(serving.length).toBeGreaterThanOrEqual(3);
});

test('withdrawals from both workers share one batcher: only what fits succeeds, refusals typed', async () => {
  const { key } = await createTestApiKey('support', 'cluster');
  const { api, dispose } = await clusterClient(key);
  try {
    await expectOnlyWhatFitsSucceeds(api);
  } finally {
    await dispose();
  }
});

test('the same Idempotency-Key sent to both workers at once: one effect, identical answers', async () => {
  const { key } = await createTestApiKey('support', 'cluster');
  const { api, dispose } = await clusterClient(key);
  try {
    await expectOneEffectPerKey(api);
  } finally {
    await dispose();
  }
});

test('a key revoked elsewhere stops working on every worker', async () => {
  const created = await createTestApiKey('auditor', 'cluster');
  const { api, dispose } = await clusterClient(created.key);
  try {
    // Both workers have checked (and cached) the key.
    for (let index = 0; index < 20; index += 1)
      expect((await api.get('/api/v1/accounts?limit=1')).status()).toBe(200);
    // Revoked by this process: a third one, as the CLI or another instance would be.
    await revokeApiKey({ id: created.id, actor: 'system:e2e' });
    await expect.poll(async () => (await api.get('/api/v1/accounts?limit=1')).status()).toBe(401);
    const after = await Promise.all(
      Array.from({ length: 20 }, () => api.get('/api/v1/accounts?limit=1')),
    );
    expect(after.map((response) => response.status())).toEqual(Array(20).fill(401));
  } finally {
    await dispose();
  }
});
