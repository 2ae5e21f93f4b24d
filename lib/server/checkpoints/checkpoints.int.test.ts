// Checkpoints against the real database: sealing (cadence, numbering without gaps across two
// sealers, chaining, signatures), the sinks outside the database, and — the point of it all — every
// tamper an insider with the database owner's rights could try inside a sealed range, each caught
// and named by checkpoint and position.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSignedCheckpoint,
  merkleRootOf,
  type SignedCheckpoint,
} from '../../evidence/checkpoint';
import { eventHash } from '../../ledger/hash-chain';
import { context, openTestAccount, separatePool } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { getPool } from '../db/pool';
import { tamper } from '../integrity/integrity-test-support';
import { FileCheckpointSink } from './checkpoint-sinks';
import { sealDueCheckpoints } from './checkpoint-sealer';
import { sealEverything, untilCommitSafe } from './checkpoint-test-support';
import { publishCheckpoints } from './publish-checkpoints';
import { CANONICAL_INSTANT_SQL } from './seal-checkpoint';
import { generateSigningKeyPem, signingKeyFrom } from './signing-key';
import { verifyAgainstCheckpoints } from './verify-against-checkpoints';

const key = signingKeyFrom(generateSigningKeyPem());
const sealAll = (maxEvents = 4) => sealEverything(key, maxEvents);

async function sinkIn(directory?: string) {
  return new FileCheckpointSink(
    directory ?? (await mkdtemp(path.join(tmpdir(), 'chronicle-ckpt-'))),
  );
}

/**
 * A fresh account with a few deposits, sealed in a checkpoint of its own (everything before was
 * sealed first): its events in the checkpoint's leaf order, and the checkpoint's number.
 */
async function sealedAccount(deposits = 3) {
  await sealAll();
  const accountId = await openTestAccount({ balance: '10.00' });
  for (let index = 0; index < deposits; index += 1)
    await depositFunds({ accountId, input: { amount: '1.00' }, context: context() });
  const [own, ...more] = await sealAll(1_000);
  expect(more).toEqual([]);
  await signedNow();
  const events = await getPool().query<{ position: string; version: number; event_id: string }>(
    `SELECT global_position::text AS position, stream_version AS version, event_id::text
       FROM events WHERE stream_id = $1 ORDER BY transaction_id, global_position`,
    [`account-${accountId}`],
  );
  expect(own?.checkpoint.eventCount).toBe(events.rows.length);
  return {
    accountId,
    streamId: `account-${accountId}`,
    events: events.rows,
    checkpoint: own?.checkpoint.number as number,
  };
}

// The sink outside the database, as the app keeps it: written as checkpoints are sealed (before
// any tampering), read back to verify against.
const outside = sinkIn();

async function signedNow(): Promise<SignedCheckpoint[]> {
  const sink = await outside;
  await publishCheckpoints(getPool(), [sink]);
  return sink.readAll();
}

async function verify() {
  return verifyAgainstCheckpoints(getPool(), {
    signed: await signedNow(),
    publicKey: key.publicKey,
  });
}

/**
 * The problems found in checkpoint `number` and after, as the background verifier checks new
 * checkpoints: the ranges before it, which earlier tests of this file tampered with, are not read
 * again (their signatures and chaining still are).
 */
async function problemsFrom(number: number) {
  const report = await verifyAgainstCheckpoints(getPool(), {
    signed: await signedNow(),
    publicKey: key.publicKey,
    rangesCheckedThrough: number - 1,
  });
  expect(report.checkedCheckpoints).toBe(1);
  return report.problems;
}

describe('sealing', () => {
  it('seals every committed event once, in commit-safe order, in numbered and chained checkpoints', async () => {
    await openTestAccount({ balance: '5.00' });
    const sealed = await sealAll(3);
    expect(sealed.length).toBeGreaterThan(0);
    const all = await signedNow();
    expect(all.map((signed) => signed.checkpoint.number)).toEqual(all.map((_, index) => index + 1));
    for (const [index, signed] of all.entries()) {
      expect(checkSignedCheckpoint(signed, key.publicKey)).toBeNull();
      expect(signed.checkpoint.eventCount).toBeLessThanOrEqual(3);
      expect(signed.checkpoint.previousHash).toBe(
        index === 0 ? '0'.repeat(64) : all[index - 1]?.hash,
      );
    }
    const events = await getPool().query<{ hash: string; position: string; recorded_at: string }>(
      `SELECT hash, global_position::text AS position, ${CANONICAL_INSTANT_SQL('recorded_at')} AS recorded_at
         FROM events ORDER BY transaction_id, global_position`,
    );
    // Rebuilding the trees from the events gives the signed heads, checkpoint by checkpoint.
    let offset = 0;
    for (const signed of all) {
      const range = events.rows.slice(offset, offset + signed.checkpoint.eventCount);
      offset += signed.checkpoint.eventCount;
      expect(
        merkleRootOf(
          range.map((row) => ({
            eventHash: row.hash,
            globalPosition: row.position,
            recordedAt: row.recorded_at,
          })),
        ),
      ).toBe(signed.checkpoint.merkleRoot);
    }
    expect(offset).toBe(events.rows.length);
    expect((await verify()).problems).toEqual([]);
  });

  it('waits for N events or T seconds, whichever comes first', async () => {
    await sealAll();
    await openTestAccount({ balance: '1.00' });
    await untilCommitSafe();
    // Two events wait: fewer than 1,000, and younger than a minute.
    expect(
      await sealDueCheckpoints(getPool(), key, { maxEvents: 1_000, intervalMs: 60_000 }),
    ).toEqual([]);
    // As many as N: sealed at once.
    const full = await sealDueCheckpoints(getPool(), key, { maxEvents: 2, intervalMs: 60_000 });
    expect(full.map((signed) => signed.checkpoint.eventCount)).toEqual([2]);
    await openTestAccount();
    await untilCommitSafe();
    // Waited longer than T: sealed although fewer than N.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const late = await sealDueCheckpoints(getPool(), key, { maxEvents: 1_000, intervalMs: 20 });
    expect(late.map((signed) => signed.checkpoint.eventCount)).toEqual([1]);
  });

  it('numbers checkpoints without gaps or duplicates when two instances seal at once', async () => {
    for (let index = 0; index < 4; index += 1) await openTestAccount({ balance: '2.00' });
    const [a, b] = [separatePool(3), separatePool(3)];
    await Promise.all([
      sealDueCheckpoints(a, key, { maxEvents: 1, intervalMs: 0 }),
      sealDueCheckpoints(b, key, { maxEvents: 1, intervalMs: 0 }),
      sealDueCheckpoints(a, key, { maxEvents: 1, intervalMs: 0 }),
    ]);
    await sealAll();
    const all = await signedNow();
    expect(all.map((signed) => signed.checkpoint.number)).toEqual(all.map((_, index) => index + 1));
    const sealedEvents = all.reduce((sum, signed) => sum + signed.checkpoint.eventCount, 0);
    const total = await getPool().query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(sealedEvents).toBe(total.rows[0]?.n);
  });
});

describe('sinks', () => {
  it('writes each checkpoint once to a file, retries a failing sink and records its failure', async () => {
    await openTestAccount({ balance: '3.00' });
    await sealAll();
    const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-ckpt-'));
    // A directory where the sink wants a file: writing fails until it is fixed.
    const blocked = await sinkIn(path.join(directory, 'blocked'));
    await writeFile(path.join(directory, 'blocked'), 'not a directory');
    await publishCheckpoints(getPool(), [blocked]);
    const failing = await getPool().query<{ last_error: string | null }>(
      'SELECT last_error FROM checkpoint_sinks WHERE sink = $1',
      [blocked.name],
    );
    expect(failing.rows[0]?.last_error).toBeTruthy();

    const sink = await sinkIn(path.join(directory, 'good'));
    await publishCheckpoints(getPool(), [sink]);
    await publishCheckpoints(getPool(), [sink]);
    const lines = (await readFile(sink.file, 'utf8')).trim().split('\n');
    const latest = await getPool().query<{ n: string }>(
      'SELECT max(number)::text AS n FROM checkpoints',
    );
    expect(lines).toHaveLength(Number(latest.rows[0]?.n));
    const state = await getPool().query<{ written_through: string; last_error: string | null }>(
      'SELECT written_through::text, last_error FROM checkpoint_sinks WHERE sink = $1',
      [sink.name],
    );
    expect(state.rows[0]).toEqual({ written_through: latest.rows[0]?.n, last_error: null });
  });

  it('writes a checkpoint cut short by a crash again on a line of its own, and still reads the file', async () => {
    // At least two checkpoints, so that one remains whole.
    for (let round = 0; round < 2; round += 1) {
      await openTestAccount({ balance: '2.00' });
      await sealAll();
    }
    const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-ckpt-'));
    await publishCheckpoints(getPool(), [await sinkIn(directory)]);
    const file = path.join(directory, 'checkpoints.jsonl');
    const whole = await readFile(file, 'utf8');
    const lines = whole.trimEnd().split('\n');
    const lastLine = lines[lines.length - 1] as string;
    // The process died halfway through writing the last checkpoint.
    const cut = whole.slice(0, whole.length - 1 - Math.floor(lastLine.length / 2));
    await writeFile(file, cut);

    // After the restart, a new sink object: it sees one checkpoint fewer and writes it again.
    const restarted = await sinkIn(directory);
    expect((await restarted.last())?.checkpoint.number).toBe(lines.length - 1);
    await publishCheckpoints(getPool(), [restarted]);
    const read = await (await sinkIn(directory)).readAll();
    expect(read.map((signed) => signed.checkpoint.number)).toEqual(
      lines.map((_, index) => index + 1),
    );
    expect(JSON.stringify(read[read.length - 1])).toBe(lastLine);
    // The offline verifier reads the same file as valid.
    // Loaded as the plain JavaScript file an auditor copies (it has no type declarations).
    const verifierFile = path.join(process.cwd(), 'verifier', 'chronicle-verify.mjs');
    const verifier = (await import(verifierFile)) as {
      verifyCheckpoints: (text: string, key: unknown) => { valid: boolean; problems: string[] };
    };
    expect(verifier.verifyCheckpoints(await readFile(file, 'utf8'), key.publicKey)).toMatchObject({
      valid: true,
    });

    // Anything else that is not a checkpoint is not skipped.
    await writeFile(file, `${lines[0]}\nnot a checkpoint\n${lines.slice(1).join('\n')}\n`);
    await expect((await sinkIn(directory)).readAll()).rejects.toThrow(
      /line 2 of .* is not a checkpoint/,
    );
  });
});

describe('tampering inside a sealed range, as the database owner', () => {
  it('an event edited without touching its hash', async () => {
    const { streamId, events, checkpoint } = await sealedAccount();
    const target = events[2] as (typeof events)[number];
    await tamper(
      `UPDATE events SET data = jsonb_set(data, '{amountMinor}', '"100000"') WHERE global_position = $1`,
      [target.position],
    );
    expect(await problemsFrom(checkpoint)).toEqual([
      {
        reason: 'sealed_event_changed',
        streamId,
        streamVersion: target.version,
        checkpoint,
        eventId: target.event_id,
        globalPosition: target.position,
        detail: `position ${target.position} (leaf 2 of checkpoint ${checkpoint}) was edited: its contents no longer hash to its stored hash`,
      },
    ]);
    // The whole ledger's check finds it too, under the same checkpoint.
    expect((await verify()).problems).toContainEqual(
      expect.objectContaining({ reason: 'sealed_event_changed', checkpoint, streamId }),
    );
  });

  it('a stream rewritten consistently from some version on, hashes and all', async () => {
    const { streamId, events, checkpoint } = await sealedAccount(4);
    // Version 3 gets a new amount; it and every later version get recomputed hashes that chain.
    const rows = await getPool().query<{
      position: string;
      eventId: string;
      streamVersion: number;
      type: string;
      schemaVersion: number;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      occurredAt: string;
      prevHash: string;
    }>(
      `SELECT global_position::text AS position, event_id::text AS "eventId", stream_version AS "streamVersion",
              type, schema_version AS "schemaVersion", data, metadata, prev_hash AS "prevHash",
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "occurredAt"
         FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    let prevHash = rows.rows[1]?.prevHash ? '' : '';
    for (const row of rows.rows) {
      if (row.streamVersion < 3) {
        prevHash = eventHash({ ...row, streamId });
        continue;
      }
      const data = row.streamVersion === 3 ? { ...row.data, amountMinor: '7' } : row.data;
      const hash = eventHash({ ...row, streamId, data, prevHash });
      await tamper(
        'UPDATE events SET data = $2, prev_hash = $3, hash = $4 WHERE global_position = $1',
        [row.position, JSON.stringify(data), prevHash, hash],
      );
      prevHash = hash;
    }
    // Each row hashes to what it stores now: the leaves are what tell.
    expect(await problemsFrom(checkpoint)).toEqual(
      events.flatMap((event, leaf) =>
        event.version < 3
          ? []
          : [
              {
                reason: 'sealed_event_changed',
                streamId,
                streamVersion: event.version,
                checkpoint,
                eventId: event.event_id,
                globalPosition: event.position,
                detail: `position ${event.position} (leaf ${leaf} of checkpoint ${checkpoint}) is not what was sealed: its contents and hash, or its recorded time, were rewritten`,
              },
            ],
      ),
    );
  });

  it('the newest event of a stream deleted', async () => {
    const { streamId, events, checkpoint } = await sealedAccount();
    const leaf = events.length - 1;
    const newest = events[leaf] as (typeof events)[number];
    await tamper('DELETE FROM events WHERE global_position = $1', [newest.position]);
    expect(await problemsFrom(checkpoint)).toEqual([
      {
        reason: 'sealed_event_deleted',
        streamId,
        streamVersion: newest.version,
        checkpoint,
        globalPosition: newest.position,
        detail: `position ${newest.position} (leaf ${leaf} of checkpoint ${checkpoint}) was sealed and is no longer in its range: deleted, or moved in the commit order`,
      },
    ]);
  });

  it('an event inserted into a sealed range', async () => {
    const { streamId, events, checkpoint } = await sealedAccount();
    const first = events[0] as (typeof events)[number];
    // A copy of version 1 as a forged stream's event, placed in the same transaction (so inside
    // the same sealed range), at a fresh position.
    const inserted = await getPool().query<{ position: string }>(
      'SELECT (max(global_position) + 1000)::text AS position FROM events',
    );
    await tamper(
      `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data,
                           metadata, occurred_at, recorded_at, transaction_id, prev_hash, hash)
       OVERRIDING SYSTEM VALUE
       SELECT $2::bigint, gen_random_uuid(), 'forged-' || stream_id, stream_version, type, schema_version, data,
              metadata, occurred_at, recorded_at, transaction_id, prev_hash, hash
         FROM events WHERE global_position = $1`,
      [first.position, inserted.rows[0]?.position],
    );
    const position = inserted.rows[0]?.position as string;
    const forged = await getPool().query<{ event_id: string }>(
      'SELECT event_id::text FROM events WHERE global_position = $1',
      [position],
    );
    expect(await problemsFrom(checkpoint)).toEqual([
      {
        reason: 'sealed_event_inserted',
        streamId: `forged-${streamId}`,
        streamVersion: first.version,
        checkpoint,
        eventId: forged.rows[0]?.event_id,
        globalPosition: position,
        detail: `position ${position} is inside the range checkpoint ${checkpoint} sealed, which did not contain it`,
      },
    ]);
  });

  it('the order of sealed events changed', async () => {
    const { streamId, events, checkpoint } = await sealedAccount();
    const second = events[1] as (typeof events)[number];
    const third = events[2] as (typeof events)[number];
    // Swap the commit order of two deposits: the later one now appears to have committed first.
    await tamper(
      `UPDATE events SET transaction_id = CASE global_position
                WHEN $1::bigint THEN (SELECT transaction_id FROM events WHERE global_position = $2::bigint)
                ELSE (SELECT transaction_id FROM events WHERE global_position = $1::bigint) END
        WHERE global_position IN ($1::bigint, $2::bigint)`,
      [second.position, third.position],
    );
    // Nothing left the range and every leaf is unchanged: only the order is named, from the
    // first event found after one that was sealed later than it.
    expect(await problemsFrom(checkpoint)).toEqual([
      {
        reason: 'sealed_events_reordered',
        streamId,
        streamVersion: second.version,
        checkpoint,
        eventId: second.event_id,
        globalPosition: second.position,
        detail: `the events of checkpoint ${checkpoint} are no longer in the order they were sealed in, from position ${second.position} on`,
      },
    ]);
  });

  it('a recorded time backdated', async () => {
    const { streamId, events, checkpoint } = await sealedAccount();
    const target = events[1] as (typeof events)[number];
    await tamper(
      `UPDATE events SET recorded_at = recorded_at - interval '3 days' WHERE global_position = $1`,
      [target.position],
    );
    // The recorded time is not part of the event's hash, so the row still hashes to what it
    // stores: only its leaf tells.
    expect(await problemsFrom(checkpoint)).toEqual([
      {
        reason: 'sealed_event_changed',
        streamId,
        streamVersion: target.version,
        checkpoint,
        eventId: target.event_id,
        globalPosition: target.position,
        detail: `position ${target.position} (leaf 1 of checkpoint ${checkpoint}) is not what was sealed: its contents and hash, or its recorded time, were rewritten`,
      },
    ]);
  });

  it('a whole sealed stream dropped', async () => {
    const { streamId, events, checkpoint } = await sealedAccount();
    await tamper('DELETE FROM events WHERE stream_id = $1', [streamId]);
    // Every sealed event of the stream is named, in leaf order: the range is empty now.
    expect(await problemsFrom(checkpoint)).toEqual(
      events.map((event, leaf) => ({
        reason: 'sealed_event_deleted',
        streamId,
        streamVersion: event.version,
        checkpoint,
        globalPosition: event.position,
        detail: `position ${event.position} (leaf ${leaf} of checkpoint ${checkpoint}) was sealed and is no longer in its range: deleted, or moved in the commit order`,
      })),
    );
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
  });

  it('the database copy of a checkpoint replaced, and events newer than the last one', async () => {
    await sealedAccount(1);
    const latest = await getPool().query<{ number: string }>(
      'SELECT max(number)::text AS number FROM checkpoints',
    );
    const number = Number(latest.rows[0]?.number);
    await tamper(`UPDATE checkpoints SET hash = repeat('a', 64) WHERE number = $1`, [number]);
    const accountId = await openTestAccount();
    const report = await verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        reason: 'checkpoint_changed',
        streamId: 'checkpoints',
        streamVersion: number,
      }),
    );
    expect(report.sealedThrough?.number).toBe(number);
    expect(report.unsealedEvents).toBeGreaterThanOrEqual(1);
    expect(accountId).toBeTruthy();
  });

  it('a checkpoint forged in the sink', async () => {
    await sealedAccount(1);
    const signed = await signedNow();
    const forged = signed.map((item, index) =>
      index === 1 ? { ...item, checkpoint: { ...item.checkpoint, eventCount: 99 } } : item,
    );
    const report = await verifyAgainstCheckpoints(getPool(), {
      signed: forged,
      publicKey: key.publicKey,
    });
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        reason: 'checkpoint_invalid',
        streamVersion: 2,
        detail: 'checkpoint 2: its hash does not match its contents',
      }),
    );
    expect(report.checkedCheckpoints).toBe(1);
  });
});
