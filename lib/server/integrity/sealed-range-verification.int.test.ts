// A tamper inside a sealed range that only the signed checkpoints can reveal — a recorded time
// backdated, which no event's hash covers — reaching the integrity status the real way: the
// incremental passes have already verified that range and see nothing, an admin queues a full
// re-verification, the verifier's worker thread checks the database against the checkpoints it
// reads back from this instance's sink, and the problem is what the API and the audit page show.
// Its own file: the process (and so its worker thread) is configured through the environment as
// the app is — a signing key and a checkpoint directory — and its database is tampered with.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import { checkpointSetup } from '../checkpoints/checkpoint-settings';
import { sealEverything } from '../checkpoints/checkpoint-test-support';
import { publishCheckpoints } from '../checkpoints/publish-checkpoints';
import { generateSigningKeyPem, signingKeyFrom } from '../checkpoints/signing-key';
import { checkpointLeaves } from '../checkpoints/stored-checkpoints';
import { verifyNewCheckpoints } from '../checkpoints/verify-new-checkpoints';
import { toIntegrityReportResource } from '../http/to-api-resources';
import { accountWithDeposits, resetVerifier, tamper, waitForRun } from './integrity-test-support';
import { getIntegrityStatus } from './get-integrity-status';
import { startIntegrityVerifier } from './integrity-verifier';
import { requestFullVerification } from './request-full-verification';
import { verifyNewEvents } from './verify-new-events';

const pem = generateSigningKeyPem();
const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-ckpt-full-'));
// Read by checkpointSetup() here and in the worker thread, which inherits this environment.
process.env.CHRONICLE_SIGNING_KEY = pem;
process.env.CHRONICLE_CHECKPOINT_DIR = directory;

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('a sealed-range tamper found by a full re-verification', () => {
  it('reaches the integrity status as sealed_event_changed, and is cleared once history is restored', async () => {
    const { key, primarySink } = checkpointSetup();
    expect(key?.keyId).toBe(signingKeyFrom(pem).keyId);
    const publicKey = signingKeyFrom(pem).publicKey;
    await resetVerifier();
    const accountId = await accountWithDeposits(3);
    const streamId = `account-${accountId}`;
    // Everything sealed and written to this instance's file, as the background sealer does.
    const sealed = await sealEverything(key as NonNullable<typeof key>, 1_000);
    await publishCheckpoints(getPool(), [primarySink]);
    const latest = sealed[sealed.length - 1]?.checkpoint.number as number;
    expect((await primarySink.readAll()).map((signed) => signed.checkpoint.number)).toEqual(
      Array.from({ length: latest }, (_, index) => index + 1),
    );

    // The background verifier's passes: every event's chain, then every new checkpoint's range.
    expect((await verifyNewEvents(getPool())).problems).toEqual([]);
    const checked = await verifyNewCheckpoints(getPool(), { sink: primarySink, publicKey });
    expect(checked).toMatchObject({ problems: [], sealedThrough: { number: latest } });
    const before = await getIntegrityStatus({ db: getPool() });
    expect(before).toMatchObject({ ok: true, problems: [] });
    expect(before.checkpoints).toMatchObject({ state: 'ok', verifiedThrough: latest });

    const target = (
      await getPool().query<{ position: string; event_id: string; checkpoint: string }>(
        `SELECT e.global_position::text AS position, e.event_id::text,
                (SELECT min(c.number)::text FROM checkpoints c
                  WHERE (c.through_transaction, c.through_position) >= (e.transaction_id, e.global_position)) AS checkpoint
           FROM events e WHERE e.stream_id = $1 AND e.stream_version = 2`,
        [streamId],
      )
    ).rows[0] as { position: string; event_id: string; checkpoint: string };
    const checkpoint = Number(target.checkpoint);
    const leaf = (await checkpointLeaves(getPool(), checkpoint))?.positions.indexOf(
      target.position,
    );
    expect(leaf).toBeGreaterThanOrEqual(0);
    await tamper(
      `UPDATE events SET recorded_at = recorded_at - interval '3 days' WHERE global_position = $1`,
      [target.position],
    );
    // Nothing new to verify: the incremental passes cannot see it, and no chain is broken.
    expect((await verifyNewEvents(getPool())).problems).toEqual([]);
    expect(await verifyNewCheckpoints(getPool(), { sink: primarySink, publicKey })).toBeNull();
    expect((await getIntegrityStatus({ db: getPool() })).problems).toEqual([]);

    const verifier = startIntegrityVerifier({
      databaseUrl: process.env.DATABASE_URL as string,
      intervalMs: 60_000,
    });
    try {
      const run = await requestFullVerification({ requestedBy: 'user:test-admin', db: getPool() });
      expect(await waitForRun(run.id)).toMatchObject({ status: 'succeeded', ok: false });
      const problem = {
        reason: 'sealed_event_changed',
        streamId,
        streamVersion: 2,
        checkpoint,
        eventId: target.event_id,
        globalPosition: target.position,
        detail: `position ${target.position} (leaf ${leaf} of checkpoint ${checkpoint}) is not what was sealed: its contents and hash, or its recorded time, were rewritten`,
      };
      const status = await getIntegrityStatus({ db: getPool() });
      expect(status).toMatchObject({ ok: false, problems: [problem] });
      expect(status.problems).toEqual([problem]);
      expect(status.checkpoints.verifiedThrough).toBe(latest);
      // The API's integrity report (and the audit page, from the same status).
      const report = toIntegrityReportResource(status);
      const { globalPosition, ...rest } = problem;
      expect(report).toMatchObject({
        ok: false,
        firstBroken: { ...rest, position: globalPosition },
        problems: [{ ...rest, position: globalPosition }],
        lastFullVerification: { id: run.id, status: 'succeeded', ok: false },
      });

      // Put back as sealed: only a clean full run clears the standing problem.
      await tamper(
        `UPDATE events SET recorded_at = recorded_at + interval '3 days' WHERE global_position = $1`,
        [target.position],
      );
      expect((await getIntegrityStatus({ db: getPool() })).problems).toEqual([problem]);
      const again = await requestFullVerification({
        requestedBy: 'user:test-admin',
        db: getPool(),
      });
      expect(await waitForRun(again.id)).toMatchObject({ status: 'succeeded', ok: true });
      expect(await getIntegrityStatus({ db: getPool() })).toMatchObject({ ok: true, problems: [] });
    } finally {
      await verifier.stop();
    }
  }, 60_000);
});
