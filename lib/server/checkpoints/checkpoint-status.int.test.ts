// A sink that fails, as /api/health, the integrity report (API) and the audit page see it: the
// background sealer's round records the failure, the checkpoint status turns `behind` and health
// `degraded`, the sink's error is shown; once the sink works again, the next round catches it up
// and everything says `ok`. Its own file: the process is configured as the app is, through the
// environment (a signing key, a checkpoint directory, and a Redis stream of its own with REDIS_URL).

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestAccount } from '../../../test/support';
import { getPool } from '../db/pool';
import { toIntegrityReportResource } from '../http/to-api-resources';
import { getIntegrityStatus } from '../integrity/get-integrity-status';
import { checkHealth } from '../queries/check-health';
import { checkpointSetup } from './checkpoint-settings';
import { checkpointSinksFor, startCheckpointSealer } from './checkpoint-sealer';
import { FileCheckpointSink, RedisCheckpointSink } from './checkpoint-sinks';
import { untilCommitSafe } from './checkpoint-test-support';
import { getCheckpointStatus } from './get-checkpoint-status';
import { generateSigningKeyPem, signingKeyFrom } from './signing-key';
import { listCheckpoints } from './stored-checkpoints';

const redisUrl = process.env.REDIS_URL;
const pem = generateSigningKeyPem();
const scratch = await mkdtemp(path.join(tmpdir(), 'chronicle-ckpt-status-'));
/** A file where the checkpoint directory's parent belongs: the file sink fails until it is gone. */
const blocker = path.join(scratch, 'blocked');
const streamKey = `chronicle:test:checkpoints:${randomUUID()}`;
process.env.CHRONICLE_SIGNING_KEY = pem;
process.env.CHRONICLE_CHECKPOINT_DIR = path.join(blocker, 'checkpoints');
process.env.CHRONICLE_CHECKPOINT_STREAM = streamKey;
// A checkpoint as soon as one event waits: the sealer's round seals whatever is committed.
process.env.CHRONICLE_CHECKPOINT_EVENTS = '1';

const fileSinkName = `file:${hostname()}:${path.join(blocker, 'checkpoints', 'checkpoints.jsonl')}`;
const redisAdmin = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : null;

afterAll(async () => {
  if (redisAdmin) {
    await redisAdmin.del(streamKey);
    expect(await redisAdmin.exists(streamKey)).toBe(0);
    redisAdmin.disconnect();
  }
  await rm(scratch, { recursive: true, force: true });
});

/** One round of the app's background sealer, as configured: seal what is due, then publish. */
async function sealerRound(): Promise<void> {
  const { key, settings } = checkpointSetup();
  await untilCommitSafe();
  // The sealer runs its first round at once; stopping it waits for that round and no other.
  await startCheckpointSealer({
    db: getPool(),
    key: key as NonNullable<typeof key>,
    settings,
  }).stop();
}

async function latestNumber(): Promise<number> {
  const all = await listCheckpoints({ db: getPool(), afterNumber: 0, limit: 1_000 });
  return all.length;
}

/** How the API's integrity report and the audit page (both from getIntegrityStatus) show it. */
async function integrityCheckpoints() {
  const status = await getIntegrityStatus({ db: getPool() });
  return { status: status.checkpoints, resource: toIntegrityReportResource(status).checkpoints };
}

describe('a checkpoint sink that fails, and recovers', () => {
  it('is set up as the app is: with the signing key and sinks from the environment', () => {
    const { key, settings } = checkpointSetup();
    expect(key?.keyId).toBe(signingKeyFrom(pem).keyId);
    expect(checkpointSinksFor(settings).map((sink) => sink.name)).toEqual(
      redisUrl ? [fileSinkName, 'redis'] : [fileSinkName],
    );
  });

  it('makes the file sink `behind` on /api/health and in the integrity report, and `ok` once it works again', async () => {
    await openTestAccount({ balance: '4.00' });
    await writeFile(blocker, 'not a directory');
    await sealerRound();
    const latest = await latestNumber();
    expect(latest).toBeGreaterThan(0);

    const behind = await getCheckpointStatus({ db: getPool() });
    expect(behind.state).toBe('behind');
    expect(behind.latest?.number).toBe(latest);
    expect(behind.unsealedEvents).toBe(0);
    expect(behind.sinks[0]).toEqual({
      name: fileSinkName,
      writtenThrough: 0,
      lastWrittenAt: null,
      lastError: expect.stringMatching(/^ENOTDIR: not a directory/),
      lastAttemptAt: expect.any(Date),
    });
    // The other sink (Redis, when configured) took every checkpoint: one failing is enough.
    if (redisUrl)
      expect(behind.sinks[1]).toMatchObject({
        name: 'redis',
        writtenThrough: latest,
        lastError: null,
      });
    expect(await checkHealth()).toEqual({
      status: 'degraded',
      database: 'ok',
      redis: redisUrl ? 'ok' : 'not_configured',
      checkpoints: 'behind',
    });
    const failing = await integrityCheckpoints();
    expect(failing.status).toMatchObject({ state: 'behind', sinks: behind.sinks });
    expect(failing.resource.state).toBe('behind');
    expect(failing.resource.sinks[0]).toEqual({
      name: `file:${hostname()}`,
      writtenThrough: 0,
      lastWrittenAt: null,
      lastError: behind.sinks[0]?.lastError,
    });

    // Fixed: the next round writes every checkpoint to it.
    await rm(blocker);
    await sealerRound();
    const recovered = await getCheckpointStatus({ db: getPool() });
    expect(recovered.state).toBe('ok');
    expect(recovered.sinks.map((sink) => [sink.name, sink.writtenThrough, sink.lastError])).toEqual(
      [[fileSinkName, latest, null], ...(redisUrl ? [['redis', latest, null]] : [])],
    );
    expect(recovered.sinks[0]?.lastWrittenAt).toEqual(expect.any(Date));
    expect(await checkHealth()).toMatchObject({ status: 'ok', checkpoints: 'ok' });
    const ok = await integrityCheckpoints();
    expect(ok.status.state).toBe('ok');
    expect(ok.resource).toMatchObject({ state: 'ok' });
    expect(ok.resource.sinks[0]).toMatchObject({ writtenThrough: latest, lastError: null });
    const file = new FileCheckpointSink(path.join(blocker, 'checkpoints'));
    expect(await file.readAll()).toEqual(
      await listCheckpoints({ db: getPool(), afterNumber: 0, limit: 1_000 }),
    );
  });

  it.skipIf(!redisUrl)(
    'makes the Redis sink `behind` while its stream key holds something else, and `ok` once it is freed',
    async () => {
      const admin = redisAdmin as Redis;
      const before = await latestNumber();
      // Something that is not a stream where the checkpoints go: every command on it fails.
      await admin.del(streamKey);
      await admin.set(streamKey, 'not a stream');
      await openTestAccount({ balance: '2.00' });
      await sealerRound();
      const latest = await latestNumber();
      expect(latest).toBeGreaterThan(before);

      const behind = await getCheckpointStatus({ db: getPool() });
      expect(behind.state).toBe('behind');
      expect(behind.sinks.map((sink) => [sink.name, sink.writtenThrough, sink.lastError])).toEqual([
        [fileSinkName, latest, null],
        // Its progress stays where it last succeeded.
        ['redis', before, expect.stringMatching(/^WRONGTYPE/)],
      ]);
      expect(await checkHealth()).toMatchObject({ status: 'degraded', checkpoints: 'behind' });
      const failing = await integrityCheckpoints();
      expect(failing.status.state).toBe('behind');
      expect(failing.resource.sinks[1]).toMatchObject({
        name: 'redis',
        lastError: expect.stringMatching(/^WRONGTYPE/),
      });

      await admin.del(streamKey);
      await sealerRound();
      const recovered = await getCheckpointStatus({ db: getPool() });
      expect(recovered.state).toBe('ok');
      expect(
        recovered.sinks.map((sink) => [sink.name, sink.writtenThrough, sink.lastError]),
      ).toEqual([
        [fileSinkName, latest, null],
        ['redis', latest, null],
      ]);
      expect(await checkHealth()).toMatchObject({ status: 'ok', checkpoints: 'ok' });
      expect((await integrityCheckpoints()).resource.state).toBe('ok');
      // Written again from checkpoint 1 into the freed key.
      const reader = new RedisCheckpointSink(redisUrl as string, streamKey);
      try {
        expect(await reader.readAll()).toEqual(
          await listCheckpoints({ db: getPool(), afterNumber: 0, limit: 1_000 }),
        );
      } finally {
        await reader.close();
      }
    },
  );
});
