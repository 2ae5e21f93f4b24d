// Backdated corrections against the real database, and the second time axis: the balance at
// effective instant E as known at K, for every answer Chronicle gives (the account, its events,
// statements). The property test compares getAccountAt with a replay of the events entered in the
// ledger by K (each event's occurredAt; a correction's is when it was recorded), ordered by
// effective time, up to E.

import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import type { StatementBody } from '../../evidence/statement';
import { canonicalJson } from '../../ledger/hash-chain';
import { formatAmount } from '../../ledger/money';
import { context, openTestAccount, refusalCode, tableCounts } from '../../../test/support';
import { getPool } from '../db/pool';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { getAccount } from '../queries/get-account';
import { getAccountAt } from '../queries/get-account-at';
import { getBalanceSeries } from '../queries/get-balance-series';
import { depositFunds } from './deposit-funds';
import { recordCorrection } from './record-correction';
import { generateSigningKeyPem } from '../checkpoints/signing-key';
import { withdrawFunds } from './withdraw-funds';

// Statements are signed: a key for this process, before anything reads it.
process.env.CHRONICLE_SIGNING_KEY ||= generateSigningKeyPem();
const { buildStatement } = await import('../statements/build-statement');

interface Fact {
  version: number;
  type: string;
  occurredAt: Date;
  /** When it entered the ledger: its occurredAt (for a correction, when it was recorded). */
  enteredAt: Date;
  effectiveAt: Date;
  deltaMinor: bigint;
}

/** The account's events with both instants, read back from the log itself. */
async function factsOf(accountId: string): Promise<Fact[]> {
  const rows = await getPool().query<{
    stream_version: number;
    type: string;
    occurred_at: Date;
    effective_at: Date | null;
    delta: string;
  }>(
    `SELECT e.stream_version, e.type, e.occurred_at,
            (e.data->>'effectiveAt')::timestamptz AS effective_at, h.amount_delta_minor::text AS delta
       FROM events e JOIN balance_history h ON h.account_id = $1 AND h.version = e.stream_version
      WHERE e.stream_id = $2 ORDER BY e.stream_version`,
    [accountId, `account-${accountId}`],
  );
  return rows.rows.map((row) => ({
    version: row.stream_version,
    type: row.type,
    occurredAt: row.occurred_at,
    enteredAt: row.occurred_at,
    effectiveAt: row.effective_at ?? row.occurred_at,
    deltaMinor: BigInt(row.delta),
  }));
}

/** The reference: the events entered by K, in effective order, summed up to E. */
function replayAt(facts: readonly Fact[], at: Date, knownAt: Date | undefined): bigint | null {
  const known = facts.filter((fact) => !knownAt || fact.enteredAt <= knownAt);
  const opened = known.find((fact) => fact.type === 'account_opened');
  if (!opened || opened.effectiveAt > at) return null;
  return known
    .filter((fact) => fact.effectiveAt <= at)
    .sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime() || a.version - b.version)
    .reduce((sum, fact) => sum + fact.deltaMinor, 0n);
}

async function pause(ms = 5) {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('a backdated correction', () => {
  it('changes the balance from its effective instant on, as known now, and not as known before it was recorded', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    await pause();
    const third = (await getPool().query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]
      ?.now as Date;
    await pause();
    await depositFunds({ accountId, input: { amount: '50.00' }, context: context() });
    await pause();
    const tenth = (await getPool().query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]
      ?.now as Date;
    await pause();
    const result = await recordCorrection({
      accountId,
      input: {
        kind: 'deposit',
        amount: '25.00',
        effectiveAt: third,
        reason: 'Wire of the 3rd posted late',
      },
      context: context(),
    });
    const corrected = result.events[0];
    expect(corrected?.type).toBe('balance_corrected');
    expect(corrected?.data).toMatchObject({
      kind: 'deposit',
      amountMinor: '2500',
      effectiveAt: third.toISOString(),
    });
    expect(corrected?.recordedAt.getTime()).toBeGreaterThan(tenth.getTime());
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(17_500n);

    // "What was the balance on the 3rd?" — as we know it now: the correction counts.
    expect((await getAccountAt({ accountId, at: third }))?.account.balanceMinor).toBe(12_500n);
    // "What did Chronicle say the balance on the 3rd was, on the 10th?" — before the correction.
    const then = await getAccountAt({ accountId, at: third, knownAt: tenth });
    expect(then?.account.balanceMinor).toBe(10_000n);
    expect(then?.correctionsMinor).toBe(0n);
    expect(
      (await getAccountAt({ accountId, at: tenth, knownAt: tenth }))?.account.balanceMinor,
    ).toBe(15_000n);
    expect((await getAccountAt({ accountId, at: tenth }))?.account.balanceMinor).toBe(17_500n);

    // The chart's samples carry both axes, and mark the correction's effective instant.
    const series = await getBalanceSeries({ accountId });
    const marker = series.find((point) => point.correction);
    expect(marker).toMatchObject({ balanceMinor: '12500', shownThenMinor: '10000' });
    expect((await verifyIntegrity(getPool(), { streamId: `account-${accountId}` })).ok).toBe(true);
  });

  it('is in the statement of the period it took effect in, by effective time, and checkable offline', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const now = async () =>
      (await getPool().query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]
        ?.now as Date;
    await pause();
    const second = await now();
    await pause();
    const third = await now();
    await pause();
    const thirdAtNoon = await now();
    await pause();
    const fourth = await now();
    await pause();
    await depositFunds({ accountId, input: { amount: '50.00' }, context: context() });
    await pause();
    const tenth = await now();
    await pause();
    await recordCorrection({
      accountId,
      input: { kind: 'deposit', amount: '25.00', effectiveAt: thirdAtNoon, reason: 'Posted late' },
      context: context(),
    });
    await recordCorrection({
      accountId,
      input: { kind: 'withdrawal', amount: '5.00', effectiveAt: second, reason: 'Fee missed' },
      context: context(),
    });

    // The statement of the 3rd to the 4th, as known now: recorded, nothing happened in it; by
    // effective time, the fee was already charged at its start and the deposit came during it.
    const signed = await buildStatement({ accountId, from: third, to: fourth, db: getPool() });
    expect(signed?.statement).toMatchObject({
      openingBalanceMinor: '10000',
      closingBalanceMinor: '10000',
      lines: [],
      effective: { openingBalanceMinor: '9500', closingBalanceMinor: '12000' },
    });
    expect(signed?.statement.effective?.laterCorrections).toHaveLength(2);
    // As Chronicle would have stated it on the 10th: no correction yet.
    const then = await buildStatement({
      accountId,
      from: third,
      to: fourth,
      knownAt: tenth,
      db: getPool(),
    });
    expect(then?.statement.effective).toEqual({
      openingBalanceMinor: '10000',
      closingBalanceMinor: '10000',
      laterCorrections: [],
    });

    // The offline verifier checks the figures, and a forged one re-signed with the key fails.
    const verifierFile = path.join(process.cwd(), 'verifier', 'chronicle-verify.mjs');
    const verifier = (await import(verifierFile)) as {
      verifyStatement: (doc: unknown, key: unknown) => { valid: boolean; problems: string[] };
    };
    const key = createPrivateKey(process.env.CHRONICLE_SIGNING_KEY as string);
    const publicKey = createPublicKey(key);
    expect(verifier.verifyStatement(signed, publicKey)).toMatchObject({ valid: true });
    expect(verifier.verifyStatement(then, publicKey)).toMatchObject({ valid: true });
    const body = structuredClone(signed?.statement) as StatementBody;
    const forged = {
      statement: {
        ...body,
        effective: { ...body.effective, closingBalanceMinor: '10000', laterCorrections: [] },
      },
    };
    const signature = sign(null, Buffer.from(canonicalJson(forged.statement)), key);
    const result = verifier.verifyStatement(
      { ...forged, signature: signature.toString('base64') },
      publicKey,
    );
    expect(result.valid).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringMatching(/effective\.openingBalanceMinor 9500 is not .*: 10000/),
    );
  });

  it('refuses what would break history, and writes nothing', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    await pause();
    const early = (await getPool().query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]
      ?.now as Date;
    await pause();
    await withdrawFunds({ accountId, input: { amount: '90.00' }, context: context() });
    await depositFunds({ accountId, input: { amount: '500.00' }, context: context() });
    const before = await tableCounts();
    const correction = (input: Partial<Parameters<typeof recordCorrection>[0]['input']>) =>
      recordCorrection({
        accountId,
        input: {
          kind: 'withdrawal',
          amount: '20.00',
          effectiveAt: early,
          reason: 'Fee missed',
          ...input,
        },
        context: context(),
      });
    // After the 90.00 withdrawal only 10.00 was left: a 20.00 withdrawal before it overdraws.
    expect(await refusalCode(correction({}))).toBe('correction_breaks_history');
    expect(await refusalCode(correction({ effectiveAt: new Date(Date.now() + 60_000) }))).toBe(
      'validation_error',
    );
    expect(await refusalCode(correction({ effectiveAt: new Date('2000-01-01T00:00:00Z') }))).toBe(
      'validation_error',
    );
    expect(
      await refusalCode(correction({ correctsEventId: '0195a1b2-c3d4-7e5f-8a9b-000000000001' })),
    ).toBe('validation_error');
    expect(await tableCounts()).toEqual(before);
    // 10.00 is exactly what the low point allows.
    await correction({ amount: '10.00' });
    expect((await getAccountAt({ accountId, at: new Date() }))?.account.balanceMinor).toBe(50_000n);
  });
});

describe('the second time axis, against a replay of the log', () => {
  it('answers (E, K) as the events entered by K, in effective order, up to E; and no balance as known is ever negative', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('deposit' as const),
              cents: fc.integer({ min: 1, max: 50_000 }),
            }),
            fc.record({
              kind: fc.constant('withdraw' as const),
              cents: fc.integer({ min: 1, max: 50_000 }),
            }),
            fc.record({
              kind: fc.constantFrom('correct_deposit' as const, 'correct_withdrawal' as const),
              cents: fc.integer({ min: 1, max: 50_000 }),
              back: fc.double({ min: 0, max: 1, noNaN: true }),
            }),
          ),
          { minLength: 3, maxLength: 10 },
        ),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          {
            minLength: 8,
            maxLength: 8,
          },
        ),
        async (steps, probes) => {
          const accountId = await openTestAccount({ balance: '1000.00' });
          const opened = (await factsOf(accountId))[0]?.occurredAt as Date;
          for (const step of steps) {
            await pause(2);
            const amount = formatAmount(BigInt(step.cents), 'USD');
            try {
              if (step.kind === 'deposit')
                await depositFunds({ accountId, input: { amount }, context: context() });
              else if (step.kind === 'withdraw')
                await withdrawFunds({ accountId, input: { amount }, context: context() });
              else {
                const now = Date.now() - 1;
                const effectiveAt = new Date(
                  opened.getTime() + Math.floor(step.back * (now - opened.getTime())),
                );
                await recordCorrection({
                  accountId,
                  input: {
                    kind: step.kind === 'correct_deposit' ? 'deposit' : 'withdrawal',
                    amount,
                    effectiveAt,
                    reason: 'property',
                  },
                  context: context(),
                });
              }
            } catch (error) {
              if (!(error instanceof AppError)) throw error;
              expect([
                'insufficient_funds',
                'correction_breaks_history',
                'validation_error',
              ]).toContain(error.code);
            }
          }
          const facts = await factsOf(accountId);
          const first = facts[0]?.occurredAt.getTime() as number;
          const last = Math.max(...facts.map((fact) => fact.enteredAt.getTime()));
          // Probe at random instants and exactly at every recording and effective instant.
          const instants = [
            ...probes
              .flat()
              .map((ratio) => new Date(first - 5 + Math.floor(ratio * (last - first + 10)))),
            ...facts.flatMap((fact) => [fact.enteredAt, fact.effectiveAt]),
          ];
          for (const [index, at] of instants.entries()) {
            const knownAt = index % 3 === 0 ? undefined : instants[(index * 7) % instants.length];
            const answer = await getAccountAt({ accountId, at, knownAt });
            expect(answer ? answer.account.balanceMinor : null).toBe(replayAt(facts, at, knownAt));
            if (answer) expect(answer.account.balanceMinor >= 0n).toBe(true);
          }
          // Statements give the same answers: whatever period a correction was recorded in, the
          // balances at `from` and at `to` by effective time, as known at K.
          for (let index = 0; index + 1 < instants.length; index += 3) {
            const [from, to] = [instants[index] as Date, instants[index + 1] as Date].sort(
              (a, b) => a.getTime() - b.getTime(),
            ) as [Date, Date];
            if (from.getTime() === to.getTime()) continue;
            const knownAt = index % 2 === 0 ? undefined : instants[(index * 5) % instants.length];
            const signed = await buildStatement({ accountId, from, to, knownAt, db: getPool() });
            expect(signed?.statement.effective).toMatchObject({
              openingBalanceMinor: String(replayAt(facts, from, knownAt) ?? 0n),
              closingBalanceMinor: String(replayAt(facts, to, knownAt) ?? 0n),
            });
          }
          // As known now, at every instant the balance changes: never negative.
          for (const fact of facts)
            expect((replayAt(facts, fact.effectiveAt, undefined) ?? 0n) >= 0n).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });
});
