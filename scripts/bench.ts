// npm run bench — measures what the ledger promises, next to baselines measured in the same run
// on the same database. Not a test: it prints a table and writes bench-results/<timestamp>.json.
//
//   point-in-time   balance of one account with 1,000,000 events (1,000 of them backdated
//                   corrections) at random instants: balance_history lookup vs full replay
//                   (p50, p99, ratio), and at random (at, knownAt) pairs on both time axes
//   deposits        16 callers, each to its own account
//   transfers       20 callers over 50 accounts
//   hot account     32 callers withdrawing from one account
//   hold + capture  16 callers, each placing a hold on its own account and capturing it
//   sealing         sealing the loaded events into signed checkpoints, verifying them all
//                   against the checkpoints, and deposits and transfers with the background
//                   sealer running and without it, in alternating rounds
//   baselines       a raw single-row INSERT, with the same number of callers
//
//   growth          with --ledger-events=N: the point-in-time measures alone, on a ledger of N
//                   events in all (the busy account's --events, the rest spread over 1,000 other
//                   accounts) — e.g. --ledger-events=10000000 for ten million
//
// Options: --events=N (default 1000000), --corrections=N (default 1000),
//          --seconds=S per throughput run (default 5), --ledger-events=N (growth run),
//          --replays=N (default 5), --keep (keep the benchmark database).

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../lib/errors';
import { startProgress } from '../lib/progress';
import { accountStreamId } from '../lib/ledger/events';
import { createPool, type Pool } from '../lib/server/db/pool';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { depositFunds } from '../lib/server/commands/deposit-funds';
import { openAccount } from '../lib/server/commands/open-account';
import { FileCheckpointSink } from '../lib/server/checkpoints/checkpoint-sinks';
import {
  sealDueCheckpoints,
  startCheckpointSealer,
} from '../lib/server/checkpoints/checkpoint-sealer';
import { publishCheckpoints } from '../lib/server/checkpoints/publish-checkpoints';
import { generateSigningKeyPem, signingKeyFrom } from '../lib/server/checkpoints/signing-key';
import { verifyAgainstCheckpoints } from '../lib/server/checkpoints/verify-against-checkpoints';
import { captureHold } from '../lib/server/commands/capture-hold';
import { placeHold } from '../lib/server/commands/place-hold';
import { transferFunds } from '../lib/server/commands/transfer-funds';
import { withdrawFunds } from '../lib/server/commands/withdraw-funds';
import { verifyIntegrity } from '../lib/server/integrity/verify-integrity';
import { importHistory, type HistoricalCommand } from '../lib/server/import/import-history';
import { InProcessNotifier } from '../lib/server/notifications/notifier';
import { getAccountAt } from '../lib/server/queries/get-account-at';
import { replayFromLog } from '../lib/server/queries/replay-aggregate';
import {
  commandLineOption,
  createScratchDatabase,
  elapsedMs,
  met,
  percentile,
  printResults,
  throughput as timedThroughput,
  writeReport,
  type ScratchDatabase,
} from './lib/bench-support';
import { log, reportFailure } from './lib/cli-log';

/** Runs `work` from `callers` concurrent loops for SECONDS. */
const throughput = (callers: number, work: (caller: number) => Promise<boolean>) =>
  timedThroughput(callers, SECONDS, work);

const argument = commandLineOption;
const EVENTS = Number(argument('events') ?? 1_000_000);
/** Backdated corrections spread through the point-in-time account's history. */
const CORRECTIONS = Number(argument('corrections') ?? 1_000);
const SECONDS = Number(argument('seconds') ?? 5);
const REPLAYS = Number(argument('replays') ?? 5);
const KEEP = process.argv.includes('--keep');
/** Growth run: the whole ledger's size (0: the ordinary run). */
const LEDGER_EVENTS = Number(argument('ledger-events') ?? 0);
/** Accounts the rest of a growth run's ledger is spread over. */
const FILLER_ACCOUNTS = 1_000;

const notifier = new InProcessNotifier();
const violations: string[] = [];

async function rawInsertBaseline(pool: Pool, callers: number): Promise<number> {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_raw_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account text NOT NULL, amount_minor bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const result = await throughput(callers, async (caller) => {
    await pool.query('INSERT INTO bench_raw_insert (account, amount_minor) VALUES ($1, $2)', [
      `caller-${caller}`,
      100,
    ]);
    return true;
  });
  return result.perSecond;
}

const ctx = (pool: Pool, actor = 'system:bench') => ({
  actor,
  idempotencyKey: randomUUID(),
  db: pool,
  notifier,
});

async function pointInTime(pool: Pool) {
  const accountId = `bench-busy-${randomBytes(3).toString('hex')}`;
  const start = Date.UTC(2024, 0, 1);
  const stepMs = 30_000;
  log(
    `loading ${EVENTS.toLocaleString('en-US')} events into ${accountId} through the import path…`,
  );
  // Every (EVENTS / CORRECTIONS)-th event is a backdated correction entered then, effective up to
  // a week earlier: the second time axis, spread through the whole history.
  const correctionEvery = Math.max(2, Math.floor(EVENTS / CORRECTIONS));
  function* history(): Generator<HistoricalCommand> {
    yield {
      occurredAt: new Date(start),
      command: { type: 'open_account', accountId, ownerId: 'bench', currency: 'USD' },
    };
    for (let index = 1; index < EVENTS; index += 1) {
      const occurredAt = new Date(start + index * stepMs);
      if (index % correctionEvery === correctionEvery - 1) {
        const back = Math.min(index * stepMs, Math.floor(Math.random() * 7 * 86_400_000));
        yield {
          occurredAt,
          command: {
            type: 'record_correction',
            accountId,
            kind: 'deposit',
            amount: '0.75',
            effectiveAt: new Date(occurredAt.getTime() - back).toISOString(),
            reason: 'bench',
          },
        };
        continue;
      }
      yield index % 4 === 0
        ? {
            occurredAt,
            command: {
              type: 'withdraw',
              accountId,
              amount: '1.00',
              destination: '',
              reference: '',
            },
          }
        : {
            occurredAt,
            command: { type: 'deposit', accountId, amount: '2.50', source: '', reference: '' },
          };
    }
  }
  const loadStart = process.hrtime.bigint();
  const progress = startProgress('loading events', EVENTS);
  await importHistory({
    commands: history(),
    actor: 'system:bench',
    batchSize: 5_000,
    db: pool,
    notifier,
    onProgress: (done) => progress.update(done),
  });
  progress.finish();
  const loadSeconds = elapsedMs(loadStart) / 1000;
  log(`loaded in ${loadSeconds.toFixed(1)} s; timing point-in-time lookups…`);
  const end = start + (EVENTS - 1) * stepMs;
  const instant = () => new Date(start + Math.floor(Math.random() * (end - start)));

  for (let index = 0; index < 50; index += 1)
    await getAccountAt({ accountId, at: instant(), db: pool });
  const lookups: number[] = [];
  for (let index = 0; index < 2_000; index += 1) {
    const at = instant();
    const t = process.hrtime.bigint();
    await getAccountAt({ accountId, at, db: pool });
    lookups.push(elapsedMs(t));
  }
  // Both axes: a random effective instant E, and a random instant K at which it was known.
  const twoAxes: number[] = [];
  for (let index = 0; index < 2_000; index += 1) {
    const at = instant();
    const knownAt = instant();
    const t = process.hrtime.bigint();
    await getAccountAt({ accountId, at, knownAt, db: pool });
    twoAxes.push(elapsedMs(t));
  }
  const replays: number[] = [];
  for (let index = 0; index < REPLAYS; index += 1) {
    const at = instant();
    const t = process.hrtime.bigint();
    const replayed = await replayFromLog({ kind: 'account', id: accountId, at, db: pool });
    replays.push(elapsedMs(t));
    // A replay of the log up to `at` is the account as Chronicle knew it then.
    const looked = await getAccountAt({ accountId, at, knownAt: at, db: pool });
    if (
      replayed?.status !== 'open' ||
      replayed.balanceMinor !== looked?.account.balanceMinor ||
      replayed.version !== looked.account.version
    ) {
      violations.push(`point-in-time: lookup and replay disagree at ${at.toISOString()}`);
    }
  }
  return {
    events: EVENTS,
    loadSeconds,
    lookupP50Ms: percentile(lookups, 50),
    lookupP99Ms: percentile(lookups, 99),
    corrections: Math.floor((EVENTS - 1) / correctionEvery),
    twoAxesP50Ms: percentile(twoAxes, 50),
    twoAxesP99Ms: percentile(twoAxes, 99),
    replayP50Ms: percentile(replays, 50),
    replayP99Ms: percentile(replays, 99),
    ratioP50: percentile(replays, 50) / percentile(lookups, 50),
    ratioP99: percentile(replays, 99) / percentile(lookups, 99),
  };
}

/** Rows per statement when bulk-loading the rest of a growth run's ledger. */
const FILL_CHUNK = 250_000;

/**
 * Loads `count` deposit events spread over FILLER_ACCOUNTS other accounts, with their
 * balance_history rows, by SQL in bulk: these events are there to make the ledger (its tables and
 * indexes) as large as a busy one, not to be read, so they are not hash-chained or projected
 * beyond balance_history; the import path would take hours on this machine for ten million.
 */
async function fillLedger(pool: Pool, count: number) {
  const accountPrefix = `bench-filler-${randomBytes(3).toString('hex')}-`;
  const streamPrefix = accountStreamId('');
  log(
    `bulk-loading ${count.toLocaleString('en-US')} events over ${FILLER_ACCOUNTS} other accounts…`,
  );
  const progress = startProgress('loading the rest of the ledger', count);
  const loadStart = process.hrtime.bigint();
  for (let from = 0; from < count; from += FILL_CHUNK) {
    const to = Math.min(count, from + FILL_CHUNK) - 1;
    await pool.query(
      `WITH appended AS (
         INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data,
                             metadata, occurred_at, prev_hash, hash)
         SELECT gen_random_uuid(), $5 || $1 || (i % $4), i / $4 + 1, 'funds_deposited', 1,
                '{"amountMinor": "100"}'::jsonb, '{"actor": "system:bench"}'::jsonb,
                timestamptz '2023-01-01T00:00:00Z' + i * interval '1 second',
                repeat('0', 64), encode(sha256(int8send(i)), 'hex')
           FROM generate_series($2::bigint, $3::bigint) AS i
         RETURNING global_position, event_id, stream_id, stream_version, occurred_at
       )
       INSERT INTO balance_history (account_id, version, event_id, event_type, occurred_at,
                                    amount_delta_minor, balance_after_minor, frozen_after,
                                    global_position)
       SELECT substr(stream_id, length($5) + 1),
              stream_version, event_id, 'funds_deposited', occurred_at, 100,
              stream_version * 100, false, global_position
         FROM appended`,
      [accountPrefix, from, to, FILLER_ACCOUNTS, streamPrefix],
    );
    progress.update(to + 1);
  }
  progress.finish();
  await pool.query('ANALYZE events');
  await pool.query('ANALYZE balance_history');
  log(`loaded in ${(elapsedMs(loadStart) / 1000).toFixed(0)} s`);
}

async function growth(pool: Pool, version: string | undefined) {
  if (LEDGER_EVENTS > EVENTS) await fillLedger(pool, LEDGER_EVENTS - EVENTS);
  const pit = await pointInTime(pool);
  const total = Number(
    (await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0]?.n,
  );
  const size = (
    await pool.query<{ events: string; history: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('events')) AS events,
              pg_size_pretty(pg_total_relation_size('balance_history')) AS history`,
    )
  ).rows[0];
  printResults(
    [
      ['measure', 'result', 'baseline', 'ratio', 'target'],
      [
        `ledger: ${total.toLocaleString('en-US')} events`,
        `events ${size?.events}, balance_history ${size?.history}`,
        '',
        '',
        '',
      ],
      ...pointInTimeRows(pit, `${pit.events.toLocaleString('en-US')}-event account`),
    ],
    violations,
  );
  const report = {
    measuredAt: new Date().toISOString(),
    postgres: version,
    ledgerEvents: total,
    eventsTableSize: size?.events,
    balanceHistorySize: size?.history,
    pointInTime: pit,
    violations,
  };
  log(`wrote ${await writeReport('bench-growth', report)}`);
  if (violations.length) process.exitCode = 1;
}

async function openAccounts(pool: Pool, count: number, balance: string): Promise<string[]> {
  const ids = Array.from(
    { length: count },
    (_, index) => `bench-${randomBytes(3).toString('hex')}-${index}`,
  );
  for (const id of ids)
    await openAccount({
      input: { id, ownerId: 'bench', currency: 'USD', initialBalance: balance },
      context: ctx(pool),
    });
  return ids;
}

async function totalBalance(pool: Pool, ids: string[]): Promise<bigint> {
  const result = await pool.query<{ total: string }>(
    'SELECT coalesce(sum(balance_minor), 0)::text AS total FROM accounts WHERE id = ANY($1)',
    [ids],
  );
  return BigInt(result.rows[0]?.total ?? '0');
}

async function checkStreams(pool: Pool, ids: string[], label: string) {
  for (const id of ids) {
    const report = await verifyIntegrity(pool, { streamId: accountStreamId(id) });
    if (!report.ok) violations.push(`${label}: hash chain broken in ${id}`);
    const replayed = await replayFromLog({ kind: 'account', id: id, db: pool });
    const row = await pool.query<{ balance: string }>(
      'SELECT balance_minor::text AS balance FROM accounts WHERE id = $1',
      [id],
    );
    if (
      replayed?.status !== 'open' ||
      replayed.balanceMinor !== BigInt(row.rows[0]?.balance ?? '-1')
    )
      violations.push(`${label}: projection of ${id} differs from replay`);
    if (replayed?.status === 'open' && replayed.balanceMinor < 0n)
      violations.push(`${label}: ${id} is negative`);
  }
}

async function deposits(pool: Pool) {
  const ids = await openAccounts(pool, 16, '0');
  const result = await throughput(16, async (caller) => {
    await depositFunds({
      accountId: ids[caller] as string,
      input: { amount: '1.00' },
      context: ctx(pool),
    });
    return true;
  });
  if ((await totalBalance(pool, ids)) !== BigInt(result.ok) * 100n)
    violations.push('deposits: balances do not add up to the deposits made');
  await checkStreams(pool, ids, 'deposits');
  return { callers: 16, ...result, baseline: await rawInsertBaseline(pool, 16) };
}

async function transfers(pool: Pool) {
  const ids = await openAccounts(pool, 50, '1000000.00');
  const before = await totalBalance(pool, ids);
  const result = await throughput(20, async () => {
    const from = Math.floor(Math.random() * ids.length);
    const to = (from + 1 + Math.floor(Math.random() * (ids.length - 1))) % ids.length;
    try {
      await transferFunds({
        input: {
          fromAccountId: ids[from] as string,
          toAccountId: ids[to] as string,
          amount: '1.00',
        },
        context: ctx(pool),
      });
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  });
  if ((await totalBalance(pool, ids)) !== before)
    violations.push('transfers: money was created or destroyed');
  await checkStreams(pool, ids, 'transfers');
  return { callers: 20, ...result, baseline: await rawInsertBaseline(pool, 20) };
}

async function hotAccount(pool: Pool) {
  const [id] = await openAccounts(pool, 1, '100000000.00');
  const result = await throughput(32, async () => {
    try {
      await withdrawFunds({
        accountId: id as string,
        input: { amount: '1.00' },
        context: ctx(pool),
      });
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  });
  const balance = await totalBalance(pool, [id as string]);
  if (balance !== 10_000_000_000n - BigInt(result.ok) * 100n)
    violations.push('hot account: balance does not match the withdrawals made');
  await checkStreams(pool, [id as string], 'hot account');
  return { callers: 32, ...result, baseline: await rawInsertBaseline(pool, 32) };
}

async function holdAndCapture(pool: Pool) {
  const ids = await openAccounts(pool, 16, '1000000.00');
  const before = await totalBalance(pool, ids);
  const result = await throughput(16, async (caller) => {
    const accountId = ids[caller] as string;
    const placed = await placeHold({
      accountId,
      input: { amount: '1.00', reason: 'bench authorisation' },
      context: ctx(pool),
    });
    await captureHold({
      holdId: placed.holds[0]?.id as string,
      input: {},
      context: ctx(pool),
    });
    return true;
  });
  if ((await totalBalance(pool, ids)) !== before - BigInt(result.ok) * 100n)
    violations.push('hold + capture: balances do not match the captures made');
  const held = await pool.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM account_holds WHERE account_id = ANY($1)',
    [ids],
  );
  if (held.rows[0]?.n !== '0')
    violations.push('hold + capture: captured holds still reserve funds');
  await checkStreams(pool, ids, 'hold + capture');
  return { callers: 16, ...result, baseline: await rawInsertBaseline(pool, 16) };
}

/** Pairs of rounds (one without the sealer, one with it) in the sealing-cost comparison. */
const SEALER_PAIRS = 4;

async function sealingCost(pool: Pool) {
  const key = signingKeyFrom(generateSigningKeyPem());
  const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-bench-checkpoints-'));
  const total = Number(
    (await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0]?.n,
  );
  log(`sealing ${total.toLocaleString('en-US')} events into checkpoints…`);
  let start = process.hrtime.bigint();
  let checkpoints = 0;
  for (;;) {
    const sealed = await sealDueCheckpoints(pool, key, { maxEvents: 1_000, intervalMs: 0 });
    if (sealed.length === 0) break;
    checkpoints += sealed.length;
  }
  const sealSeconds = elapsedMs(start) / 1000;
  const sink = new FileCheckpointSink(directory);
  await publishCheckpoints(pool, [sink]);
  log(
    `verifying ${total.toLocaleString('en-US')} events against ${checkpoints} signed checkpoints…`,
  );
  start = process.hrtime.bigint();
  const report = await verifyAgainstCheckpoints(pool, {
    signed: await sink.readAll(),
    publicKey: key.publicKey,
  });
  const verifySeconds = elapsedMs(start) / 1000;
  if (report.problems.length > 0)
    violations.push(`sealing: verification found ${report.problems.length} problems`);

  // Without and with the sealer in adjacent pairs, alternating which goes first, and the median
  // of the pairs' ratios: neither the machine's drift over the run (tables growing, autovacuum
  // waking up, a noisy neighbour) nor which side goes first passes for the sealer's cost.
  log(`deposits and transfers without and with the sealer, ${SEALER_PAIRS} pairs of rounds…`);
  const rates = {
    without: { deposits: [] as number[], transfers: [] as number[] },
    with: { deposits: [] as number[], transfers: [] as number[] },
  };
  const round = async (side: 'without' | 'with') => {
    const sealer =
      side === 'with'
        ? startCheckpointSealer({
            db: pool,
            key,
            settings: { maxEvents: 1_000, intervalMs: 1_000, directory },
          })
        : null;
    rates[side].deposits.push((await deposits(pool)).perSecond);
    rates[side].transfers.push((await transfers(pool)).perSecond);
    await sealer?.stop();
  };
  for (let index = 0; index < SEALER_PAIRS; index += 1)
    for (const side of index % 2 === 0
      ? (['without', 'with'] as const)
      : (['with', 'without'] as const))
      await round(side);
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  };
  const slowdown = (kind: 'deposits' | 'transfers') =>
    median(
      rates.with[kind].map((rate, index) => 1 - rate / (rates.without[kind][index] as number)),
    );
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const without = {
    deposits: mean(rates.without.deposits),
    transfers: mean(rates.without.transfers),
  };
  const deposited = { perSecond: mean(rates.with.deposits) };
  const transferred = { perSecond: mean(rates.with.transfers) };
  return {
    events: total,
    checkpoints,
    sealSeconds,
    verifySeconds,
    verifyEventsPerSecond: total / verifySeconds,
    depositsWithoutSealer: without.deposits,
    transfersWithoutSealer: without.transfers,
    depositsWithSealer: deposited.perSecond,
    transfersWithSealer: transferred.perSecond,
    depositsSlowdown: slowdown('deposits'),
    transfersSlowdown: slowdown('transfers'),
  };
}

/** The point-in-time rows of a table: as known now (p50, p99 against replay), and on both axes. */
function pointInTimeRows(pit: Awaited<ReturnType<typeof pointInTime>>, note: string): string[][] {
  return [
    [
      `point-in-time p50, ${note}`,
      `${pit.lookupP50Ms.toFixed(3)} ms`,
      `replay ${pit.replayP50Ms.toFixed(0)} ms`,
      `${pit.ratioP50.toFixed(0)}× faster`,
      '',
    ],
    [
      'point-in-time p99',
      `${pit.lookupP99Ms.toFixed(3)} ms`,
      `replay ${pit.replayP99Ms.toFixed(0)} ms`,
      `${pit.ratioP99.toFixed(0)}× faster`,
      `≤ 5 ms, ≥ 1000× ${met(pit.lookupP99Ms <= 5 && pit.ratioP99 >= 1000)}`,
    ],
    [
      '(at, knownAt) p99',
      `${pit.twoAxesP99Ms.toFixed(3)} ms`,
      `p50 ${pit.twoAxesP50Ms.toFixed(3)} ms`,
      '',
      `≤ 5 ms ${met(pit.twoAxesP99Ms <= 5)}`,
    ],
  ];
}

/** The ordinary run: every measure in the table at the top of this file. */
async function standardRun(pool: Pool, version: string | undefined) {
  const pit = await pointInTime(pool);
  const dep = await deposits(pool);
  const tra = await transfers(pool);
  const hot = await hotAccount(pool);
  const holds = await holdAndCapture(pool);
  const sealing = await sealingCost(pool);

  const rows: string[][] = [
    ['measure', 'result', 'baseline', 'ratio', 'target'],
    ...pointInTimeRows(pit, `${pit.corrections} corrections`),
    [
      'deposits, 16 callers',
      `${dep.perSecond.toFixed(0)}/s`,
      `raw INSERT ${dep.baseline.toFixed(0)}/s`,
      `${((dep.perSecond / dep.baseline) * 100).toFixed(1)}%`,
      '',
    ],
    [
      'transfers, 20 callers',
      `${tra.perSecond.toFixed(0)}/s`,
      `raw INSERT ${tra.baseline.toFixed(0)}/s`,
      `${((tra.perSecond / tra.baseline) * 100).toFixed(1)}%`,
      `≥ 15% ${met(tra.perSecond / tra.baseline >= 0.15)}`,
    ],
    [
      'hot account, 32 callers',
      `${hot.perSecond.toFixed(0)}/s`,
      `raw INSERT ${hot.baseline.toFixed(0)}/s`,
      `${((hot.perSecond / hot.baseline) * 100).toFixed(1)}%`,
      `≥ 500/s ${met(hot.perSecond >= 500)}`,
    ],
    [
      'hold + capture, 16 callers',
      `${holds.perSecond.toFixed(0)}/s`,
      `raw INSERT ${holds.baseline.toFixed(0)}/s`,
      `${((holds.perSecond / holds.baseline) * 100).toFixed(1)}%`,
      '',
    ],
    [
      'sealing, then verifying',
      `${(sealing.events / sealing.sealSeconds).toFixed(0)} events/s`,
      `verify ${sealing.events.toLocaleString('en-US')} events: ${sealing.verifySeconds.toFixed(1)} s`,
      `${sealing.verifyEventsPerSecond.toFixed(0)} events/s verified`,
      '',
    ],
    [
      'deposits with the sealer',
      `${sealing.depositsWithSealer.toFixed(0)}/s`,
      `without ${sealing.depositsWithoutSealer.toFixed(0)}/s`,
      `${(sealing.depositsSlowdown * 100).toFixed(1)}% slower (median of ${SEALER_PAIRS} pairs)`,
      `< 5% ${met(sealing.depositsSlowdown < 0.05)}`,
    ],
    [
      'transfers with the sealer',
      `${sealing.transfersWithSealer.toFixed(0)}/s`,
      `without ${sealing.transfersWithoutSealer.toFixed(0)}/s`,
      `${(sealing.transfersSlowdown * 100).toFixed(1)}% slower (median of ${SEALER_PAIRS} pairs)`,
      `< 5% ${met(sealing.transfersSlowdown < 0.05)}`,
    ],
  ];
  printResults(rows, violations);

  const report = {
    measuredAt: new Date().toISOString(),
    postgres: version,
    secondsPerRun: SECONDS,
    pointInTime: pit,
    deposits: dep,
    transfers: tra,
    hotAccount: hot,
    holdAndCapture: holds,
    sealing,
    violations,
  };
  log(`wrote ${await writeReport('bench', report)}`);
  if (violations.length) process.exitCode = 1;
}

// Nothing to clean up yet if this fails: report its one line and stop.
const database = await resolveDatabase(log).catch((error: unknown) => {
  reportFailure(error);
  process.exit(1);
});
let scratch: ScratchDatabase | undefined;
let pool: Pool | undefined;
try {
  scratch = await createScratchDatabase(database.url, 'chronicle_bench');
  pool = createPool(scratch.url, { max: 40, applicationName: 'chronicle-bench' });
  const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]
    ?.server_version;
  log(`benchmarking on PostgreSQL ${version} (${scratch.name}), ${SECONDS} s per throughput run`);

  if (LEDGER_EVENTS > 0) await growth(pool, version);
  else await standardRun(pool, version);
} catch (error) {
  reportFailure(error);
} finally {
  await pool?.end();
  await scratch?.drop({ keep: KEEP });
  await notifier.close();
  await database.release();
}
