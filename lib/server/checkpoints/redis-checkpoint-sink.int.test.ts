// The Redis stream sink against a real Redis server (REDIS_URL): checkpoints appended in number
// order, those already held skipped — also when another instance wrote them, through a sink
// object of its own on the same stream — a gap refused, and the stream read back as written.
// Every test uses a stream key of its own, deleted afterwards.

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SignedCheckpoint } from '../../evidence/checkpoint';
import { openTestAccount } from '../../../test/support';
import { getPool } from '../db/pool';
import { RedisCheckpointSink } from './checkpoint-sinks';
import { sealEverything } from './checkpoint-test-support';
import { publishCheckpoints } from './publish-checkpoints';
import { generateSigningKeyPem, signingKeyFrom } from './signing-key';
import { listCheckpoints } from './stored-checkpoints';

const redisUrl = process.env.REDIS_URL;
const key = signingKeyFrom(generateSigningKeyPem());
const run = randomUUID();
const keys: string[] = [];
const sinks: RedisCheckpointSink[] = [];
let admin: Redis;
/** Checkpoints 1 to 12, sealed from real events (more than 9: ids must order as numbers). */
let sealed: SignedCheckpoint[];

/** A sink on a stream key of its own, or on `onKey` (another instance's sink on that stream). */
function sinkOn(onKey?: string): { sink: RedisCheckpointSink; key: string } {
  const streamKey = onKey ?? `chronicle:test:checkpoints:${run}:${keys.length}`;
  if (!onKey) keys.push(streamKey);
  const sink = new RedisCheckpointSink(redisUrl as string, streamKey);
  sinks.push(sink);
  return { sink, key: streamKey };
}

const upTo = (last: number) => sealed.slice(0, last);
const numbers = (checkpoints: readonly SignedCheckpoint[]) =>
  checkpoints.map((signed) => signed.checkpoint.number);

describe.skipIf(!redisUrl)('the Redis checkpoint sink', () => {
  beforeAll(async () => {
    admin = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    for (let index = 0; index < 6; index += 1) await openTestAccount({ balance: '1.00' });
    // One event per checkpoint: twelve of them.
    await sealEverything(key, 1);
    sealed = await listCheckpoints({ db: getPool(), afterNumber: 0, limit: 100 });
    expect(numbers(sealed)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });

  afterAll(async () => {
    if (keys.length > 0) {
      await admin.del(...keys);
      expect(await admin.exists(...keys)).toBe(0);
    }
    admin.disconnect();
  });

  it('holds nothing at first, then appends in number order and reads every checkpoint back as signed', async () => {
    const { sink, key: streamKey } = sinkOn();
    expect(await sink.last()).toBeNull();
    expect(await sink.readAll()).toEqual([]);

    await sink.append(upTo(3));
    await sink.append(sealed.slice(3));
    expect(await sink.readAll()).toEqual(sealed);
    expect(await sink.last()).toEqual(sealed[11]);
    // One entry per checkpoint, its id the checkpoint's number.
    const ids = (await admin.xrange(streamKey, '-', '+')).map(([id]) => id);
    expect(ids).toEqual(numbers(sealed).map((number) => `${number}-1`));
    // Read by a sink object that never wrote to it: what another instance sees.
    expect(await sinkOn(streamKey).sink.readAll()).toEqual(sealed);
  });

  it('skips the checkpoints it already holds', async () => {
    const { sink } = sinkOn();
    await sink.append(upTo(4));
    await sink.append(upTo(6));
    await sink.append(upTo(6));
    await sink.append([]);
    expect(await sink.readAll()).toEqual(upTo(6));
    expect(await sink.last()).toEqual(sealed[5]);
  });

  it('skips what another instance wrote to the same stream, and each reads what the other wrote', async () => {
    const { sink: first, key: streamKey } = sinkOn();
    const { sink: second } = sinkOn(streamKey);
    await first.append(upTo(5));
    // The second instance is asked for everything: it writes only 6 to 8.
    await second.append(upTo(8));
    expect(await first.last()).toEqual(sealed[7]);
    // And the first, asked for everything up to 10, writes only 9 and 10.
    await first.append(upTo(10));
    expect(await second.readAll()).toEqual(upTo(10));
    expect(await first.readAll()).toEqual(upTo(10));
  });

  it('ends up with each checkpoint once when two instances append the same ones at the same time', async () => {
    const { sink: first, key: streamKey } = sinkOn();
    const { sink: second } = sinkOn(streamKey);
    await Promise.all([first.append(sealed), second.append(sealed), first.append(upTo(7))]);
    expect(await second.readAll()).toEqual(sealed);
    expect(await admin.xlen(streamKey)).toBe(sealed.length);
  });

  it('refuses a gap, and writes nothing for it', async () => {
    const { sink, key: streamKey } = sinkOn();
    await expect(sink.append([sealed[1] as SignedCheckpoint])).rejects.toThrow(
      `the Redis stream ${streamKey} ends at checkpoint 0; checkpoint 2 cannot follow it`,
    );
    expect(await sink.readAll()).toEqual([]);

    await sink.append(upTo(2));
    await expect(sink.append([sealed[3] as SignedCheckpoint])).rejects.toThrow(
      `the Redis stream ${streamKey} ends at checkpoint 2; checkpoint 4 cannot follow it`,
    );
    // A batch that starts with what the stream holds and then jumps: the part before the gap is
    // written, nothing after it.
    await expect(
      sink.append([...upTo(3), sealed[4] as SignedCheckpoint, sealed[5] as SignedCheckpoint]),
    ).rejects.toThrow(
      `the Redis stream ${streamKey} ends at checkpoint 3; checkpoint 5 cannot follow it`,
    );
    expect(await sink.readAll()).toEqual(upTo(3));
    expect(await sink.last()).toEqual(sealed[2]);
  });

  it('is kept up to date by publishing, by either of two instances, and its progress recorded', async () => {
    const { sink: first, key: streamKey } = sinkOn();
    const { sink: second } = sinkOn(streamKey);
    await publishCheckpoints(getPool(), [first]);
    expect(await second.readAll()).toEqual(sealed);
    // More checkpoints; the other instance publishes them.
    await openTestAccount({ balance: '1.00' });
    await sealEverything(key, 1);
    const all = await listCheckpoints({ db: getPool(), afterNumber: 0, limit: 100 });
    expect(all.length).toBe(sealed.length + 2);
    await publishCheckpoints(getPool(), [second]);
    await publishCheckpoints(getPool(), [first]);
    expect(await first.readAll()).toEqual(all);
    expect(await admin.xlen(streamKey)).toBe(all.length);
    const state = await getPool().query<{ written_through: string; last_error: string | null }>(
      'SELECT written_through::text, last_error FROM checkpoint_sinks WHERE sink = $1',
      [first.name],
    );
    expect(state.rows).toEqual([{ written_through: String(all.length), last_error: null }]);
  });
});
