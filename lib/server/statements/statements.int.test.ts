// Signed statements and inclusion proofs from the real database: every line proven in a signed
// checkpoint (or honestly "not yet sealed"), the signature good, and — for random histories and
// random periods — the arithmetic always holds and the lines are exactly the account's events.

import { verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSignedCheckpoint, leafHashOf } from '../../evidence/checkpoint';
import { verifyInclusion } from '../../evidence/merkle';
import {
  checkStatementArithmetic,
  type EvidenceEvent,
  type InclusionProof,
  type SignedStatement,
} from '../../evidence/statement';
import { canonicalJson, eventHash } from '../../ledger/hash-chain';
import { formatAmount } from '../../ledger/money';
import { context, openTestAccount } from '../../../test/support';
import { generateSigningKeyPem } from '../checkpoints/signing-key';

// The process's signing key, before anything reads it.
process.env.CHRONICLE_SIGNING_KEY = generateSigningKeyPem();

const { configuredSigningKey } = await import('../checkpoints/signing-key');
const { sealDueCheckpoints } = await import('../checkpoints/checkpoint-sealer');
const { getEventProof } = await import('../checkpoints/get-event-proof');
const { buildStatement } = await import('./build-statement');
const { getPool } = await import('../db/pool');
const { depositFunds } = await import('../commands/deposit-funds');
const { withdrawFunds } = await import('../commands/withdraw-funds');
const { importHistory } = await import('../import/import-history');
type HistoricalCommand = import('../import/import-history').HistoricalCommand;

const key = configuredSigningKey();
if (!key) throw new Error('the test key did not load');
const { untilCommitSafe } = await import('../checkpoints/checkpoint-test-support');
const sealAll = async () => {
  await untilCommitSafe();
  return sealDueCheckpoints(getPool(), key, { maxEvents: 5, intervalMs: 0 });
};

/** Every check the offline verifier makes, with the reference encoder. */
function checkProof(event: EvidenceEvent, proof: InclusionProof, statement: SignedStatement) {
  const checkpoint = statement.statement.checkpoints.find(
    (signed) => signed.checkpoint.number === proof.checkpoint,
  );
  if (!checkpoint) return `checkpoint ${proof.checkpoint} is missing`;
  const invalid = checkSignedCheckpoint(checkpoint, key!.publicKey);
  if (invalid) return invalid;
  if (eventHash(event) !== event.hash) return `${event.eventId} does not hash to its hash`;
  const leaf = leafHashOf({
    eventHash: event.hash,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt,
  });
  return verifyInclusion(
    leaf,
    proof.leafIndex,
    checkpoint.checkpoint.eventCount,
    proof.path.map((node) => Buffer.from(node, 'hex')),
    Buffer.from(checkpoint.checkpoint.merkleRoot, 'hex'),
  )
    ? null
    : `${event.eventId}: the path does not lead to the tree head`;
}

function signatureHolds(signed: SignedStatement): boolean {
  return verify(
    null,
    Buffer.from(canonicalJson(signed.statement), 'utf8'),
    key!.publicKey,
    Buffer.from(signed.signature, 'base64'),
  );
}

describe('statements and proofs', () => {
  it('prove every sealed line, mark the rest not yet sealed, and add up', async () => {
    const accountId = await openTestAccount({ balance: '100.00' });
    const opened = new Date();
    await depositFunds({ accountId, input: { amount: '25.50' }, context: context() });
    await withdrawFunds({ accountId, input: { amount: '40.00' }, context: context() });
    await sealAll();
    await depositFunds({ accountId, input: { amount: '1.00' }, context: context() });

    const signed = await buildStatement({
      accountId,
      from: new Date(opened.getTime() - 60_000),
      to: new Date(Date.now() + 1_000),
      db: getPool(),
    });
    if (!signed) throw new Error('no statement');
    const body = signed.statement;
    expect(signatureHolds(signed)).toBe(true);
    expect(checkStatementArithmetic(body)).toEqual([]);
    expect(body.anchor).toBeNull();
    expect(body.openingBalanceMinor).toBe('0');
    expect(body.closingBalanceMinor).toBe('8650');
    expect(body.totals).toEqual({ creditsMinor: '12650', debitsMinor: '4000' });
    expect(body.lines.map((line) => line.event.type)).toEqual([
      'account_opened',
      'funds_deposited',
      'funds_deposited',
      'funds_withdrawn',
      'funds_deposited',
    ]);
    const [sealedLines, unsealed] = [body.lines.slice(0, 4), body.lines.slice(4)];
    for (const line of sealedLines)
      expect(checkProof(line.event, line.proof as InclusionProof, signed)).toBeNull();
    expect(unsealed.map((line) => line.proof)).toEqual([null]);

    // The same event's proof on its own.
    const proof = await getEventProof({
      eventId: sealedLines[3]?.event.eventId as string,
      db: getPool(),
    });
    expect(proof?.status).toBe('sealed');
    expect(proof?.proof).toEqual(sealedLines[3]?.proof);
    const late = await getEventProof({
      eventId: unsealed[0]?.event.eventId as string,
      db: getPool(),
    });
    expect(late).toMatchObject({ status: 'not_yet_sealed', proof: null, checkpoint: null });

    // A period that starts after some events: they become the anchor and the opening balance.
    await sealAll();
    const later = await buildStatement({
      accountId,
      from: new Date(sealedLines[3]?.event.occurredAt as string),
      to: new Date(Date.now() + 1_000),
      db: getPool(),
    });
    expect(later?.statement.anchor?.event.eventId).toBe(sealedLines[3]?.event.eventId);
    expect(later?.statement.openingBalanceMinor).toBe('8550');
    expect(later?.statement.lines.map((line) => line.event.type)).toEqual(['funds_deposited']);
    expect(
      checkProof(
        later?.statement.lines[0]?.event as EvidenceEvent,
        later?.statement.lines[0]?.proof as InclusionProof,
        later as SignedStatement,
      ),
    ).toBeNull();
  });

  it('refuses a period that ends before it starts, and to sign a history that does not add up', async () => {
    const accountId = await openTestAccount({ balance: '10.00' });
    await expect(
      buildStatement({ accountId, from: new Date(), to: new Date(Date.now() - 1), db: getPool() }),
    ).rejects.toMatchObject({ code: 'validation_error' });
    const { tamper } = await import('../integrity/integrity-test-support');
    await tamper(
      'UPDATE balance_history SET balance_after_minor = balance_after_minor + 1 WHERE account_id = $1 AND version = 2',
      [accountId],
    );
    await expect(
      buildStatement({
        accountId,
        from: new Date(0),
        to: new Date(Date.now() + 1_000),
        db: getPool(),
      }),
    ).rejects.toMatchObject({ code: 'integrity_violation' });
  });

  it('add up for random histories and random periods', async () => {
    const start = Date.UTC(2025, 0, 1);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            minutes: fc.integer({ min: 1, max: 600 }),
            kind: fc.constantFrom('deposit', 'withdraw'),
            minor: fc.bigInt({ min: 1n, max: 5_000n }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        async (steps, [a, b]) => {
          const accountId = `stmt-${Math.random().toString(36).slice(2, 10)}`;
          let at = start;
          let balance = 0n;
          const commands: HistoricalCommand[] = [
            {
              occurredAt: new Date(at),
              command: { type: 'open_account' as const, accountId, ownerId: 'o', currency: 'USD' },
            },
          ];
          for (const step of steps) {
            at += step.minutes * 60_000;
            // Withdrawals only of what is there: the history must be one the ledger accepts.
            if (step.kind === 'withdraw' && step.minor > balance) continue;
            balance += step.kind === 'deposit' ? step.minor : -step.minor;
            commands.push({
              occurredAt: new Date(at),
              command:
                step.kind === 'deposit'
                  ? {
                      type: 'deposit',
                      accountId,
                      amount: formatAmount(step.minor, 'USD'),
                      source: '',
                      reference: '',
                    }
                  : {
                      type: 'withdraw',
                      accountId,
                      amount: formatAmount(step.minor, 'USD'),
                      destination: '',
                      reference: '',
                    },
            });
          }
          await importHistory({ commands, actor: 'system:property-test' });
          await sealAll();
          const end = at + 60_000;
          const [from, to] = [start - 60_000 + a * (end - start), start + b * (end - start)].sort(
            (x, y) => x - y,
          ) as [number, number];
          if (from >= to) return;
          const signed = await buildStatement({
            accountId,
            from: new Date(from),
            to: new Date(to),
            db: getPool(),
          });
          if (!signed) throw new Error('no statement');
          expect(signatureHolds(signed)).toBe(true);
          expect(checkStatementArithmetic(signed.statement)).toEqual([]);
          for (const line of signed.statement.lines) {
            expect(new Date(line.event.occurredAt).getTime()).toBeGreaterThan(from);
            expect(new Date(line.event.occurredAt).getTime()).toBeLessThanOrEqual(to);
            expect(checkProof(line.event, line.proof as InclusionProof, signed)).toBeNull();
          }
          // The lines are every event of the period: anchor version + lines = versions up to `to`.
          const inPeriod = await getPool().query<{ n: number }>(
            `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND occurred_at > $2 AND occurred_at <= $3`,
            [`account-${accountId}`, new Date(from).toISOString(), new Date(to).toISOString()],
          );
          expect(signed.statement.lines).toHaveLength(inPeriod.rows[0]?.n ?? -1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
