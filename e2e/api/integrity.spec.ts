// The integrity API over HTTP: answers at once from what the background verifier established,
// queues full re-verifications with progress, and reports an insider's tampering precisely.

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { integrityReport, verificationRunResource } from '../../lib/schemas/api-resources';
import {
  generateApiKey,
  hashApiKey,
  displayPrefix,
} from '../../lib/server/api-keys/api-key-secret';
import { E2E_OWN_SERVER_PORT } from '../support/ports';
import { startOwnServer } from '../support/own-server';
import { createScratchDatabase } from '../support/scratch-database';
import { asClient, client, expectBody } from './support';

test('answers from the verifier, and an admin re-verifies everything with progress', async ({
  request,
}) => {
  const auditor = await asClient(request, 'auditor');
  const report = await expectBody(await auditor.get('/api/v1/integrity'), 200, integrityReport);
  expect(report.ok).toBe(true);
  expect(report.problems).toEqual([]);

  const admin = await asClient(request, 'admin');
  const queued = await admin.post('/api/v1/integrity/verifications', {});
  const run = await expectBody(queued, 202, verificationRunResource);
  expect(queued.headers()['location']).toBe(`/api/v1/integrity/verifications/${run.id}`);
  await expect
    .poll(
      async () =>
        (
          await expectBody(
            await auditor.get(`/api/v1/integrity/verifications/${run.id}`),
            200,
            verificationRunResource,
          )
        ).status,
      { timeout: 30_000 },
    )
    .toBe('succeeded');
  const finished = verificationRunResource.parse(
    await (await auditor.get(`/api/v1/integrity/verifications/${run.id}`)).json(),
  );
  expect(finished.ok).toBe(true);
  expect(finished.checkedEvents).toBe(finished.totalEvents);
  expect((await auditor.get('/api/v1/integrity/verifications/999999999')).status()).toBe(404);
});

test('deleting the newest event of a stream is reported with both versions', async ({
  request,
}) => {
  test.setTimeout(120_000);
  const database = await createScratchDatabase();
  const server = await startOwnServer(E2E_OWN_SERVER_PORT, {
    DATABASE_URL: database.url,
    CHRONICLE_INTEGRITY_INTERVAL_MS: '300',
  });
  try {
    const key = generateApiKey();
    await database.query(
      `INSERT INTO api_keys (name, role, key_prefix, key_hash) VALUES ('tamper test', 'admin', $1, $2)`,
      [displayPrefix(key), hashApiKey(key)],
    );
    const api = client(request, key);
    const accountId = `acc_tamper_${randomUUID().slice(0, 8)}`;
    const opened = await api.post(`${server.url}/api/v1/accounts`, {
      id: accountId,
      ownerId: 'cust_tamper',
      currency: 'USD',
      initialBalance: '10.00',
    });
    expect(opened.status()).toBe(201);
    for (let index = 0; index < 3; index += 1) {
      const deposit = await api.post(`${server.url}/api/v1/accounts/${accountId}/deposits`, {
        amount: '1.00',
      });
      expect(deposit.status()).toBe(201);
    }
    const verified = async () =>
      integrityReport.parse(await (await api.get(`${server.url}/api/v1/integrity`)).json());
    await expect.poll(async () => (await verified()).pendingEvents, { timeout: 20_000 }).toBe(0);
    expect((await verified()).ok).toBe(true);

    // An insider with the owner's rights removes the last deposit, and leaves no other trace.
    await database.query(`
      BEGIN;
      ALTER TABLE events DISABLE TRIGGER events_reject_update_delete;
      DELETE FROM events WHERE stream_id = 'account-${accountId}' AND stream_version = 5;
      ALTER TABLE events ENABLE TRIGGER events_reject_update_delete;
      COMMIT;`);

    await expect.poll(async () => (await verified()).ok, { timeout: 20_000 }).toBe(false);
    const report = await verified();
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        reason: 'head_mismatch',
        streamId: `account-${accountId}`,
        streamVersion: 5,
        detail: expect.stringMatching(
          /recorded head is version 5 .* but the stream ends at version 4/,
        ),
      }),
    );
  } finally {
    await server.stop();
    await database.drop();
  }
});
