// Dispute cases against the real database: a case from complaint to a lost outcome with its
// shortfall collected by a later deposit, the races a disputes lead worries about (two staff
// resolving at once, a case won while the same charge is reversed by hand, two cases opened on one
// charge at once), retries by key, evidence kept by hash, and what the security review asked for.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { context, openTestAccount, separatePool, superuserClient } from '../../../test/support';
import { getPool } from '../db/pool';
import { depositFunds } from '../commands/deposit-funds';
import { reverseCharge } from '../commands/reverse-charge';
import { withdrawFunds } from '../commands/withdraw-funds';
import { getAccount } from '../queries/get-account';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { createUser } from '../users/create-user';
import { addDisputeEvidence } from './add-dispute-evidence';
import { addDisputeNote } from './add-dispute-note';
import { assignDispute } from './assign-dispute';
import { giveProvisionalCredit } from './give-provisional-credit';
import { openDispute } from './open-dispute';
import { getDispute, listDisputes } from './read-disputes';
import { resolveDispute } from './resolve-dispute';
import { submitDisputeEvidence } from './submit-dispute-evidence';
import { writeOffShortfall } from './write-off-shortfall';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function charged(balance: string, charge: string) {
  const accountId = await openTestAccount({ balance });
  const result = await withdrawFunds({ accountId, input: { amount: charge }, context: context() });
  return { accountId, chargeEventId: result.events[0]?.eventId as string };
}

async function opened(chargeEventId: string, amount?: string) {
  const result = await openDispute({
    input: {
      chargeEventId,
      reasonCode: 'fraudulent',
      description: 'Not me',
      ...(amount ? { amount } : {}),
    },
    context: context(),
  });
  return result.disputes[0]?.id as string;
}

function codesOf(results: PromiseSettledResult<unknown>[]) {
  return results.map((result) =>
    result.status === 'fulfilled' ? 'ok' : (result.reason as AppError).code,
  );
}

async function eventCount(type: string, disputeId: string): Promise<number> {
  const found = await getPool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE type = $1 AND data->>'disputeId' = $2`,
    [type, disputeId],
  );
  return found.rows[0]?.n ?? 0;
}

describe('a case from complaint to outcome', () => {
  it('runs open → assign → note → file → provisional credit → submit → lost with shortfall → collected', async () => {
    const { accountId, chargeEventId } = await charged('100.00', '40.00');
    const support = await createUser({
      input: {
        email: `s-${randomUUID()}@example.com`,
        name: 'Sam',
        role: 'support',
        password: 'correct horse battery',
      },
      actor: 'system:test',
    });
    const disputeId = await opened(chargeEventId);
    let dispute = await getDispute(disputeId);
    expect(dispute).toMatchObject({ status: 'open', amountMinor: 4_000n, overdue: false });
    expect(dispute?.dueBy.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    await assignDispute({ disputeId, input: { assigneeId: support.id }, context: context() });
    await addDisputeNote({ disputeId, input: { text: 'Customer called' }, context: context() });
    const upload = await addDisputeEvidence({
      disputeId,
      upload: { fileName: '../../receipt.pdf', declaredType: 'application/pdf', bytes: PDF },
      context: context(),
    });
    expect(upload.disputes[0]?.evidence[1]).toMatchObject({
      kind: 'file',
      fileName: 'receipt.pdf',
    });
    await giveProvisionalCredit({ disputeId, input: {}, context: context() });
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(10_000n);
    await submitDisputeEvidence({ disputeId, context: context() });
    // The customer spends the credit before the case is decided.
    await withdrawFunds({ accountId, input: { amount: '75.00' }, context: context() });
    const lost = await resolveDispute({
      disputeId,
      outcome: 'lost',
      note: 'Delivery proven',
      context: context(),
    });
    expect(lost.disputes[0]).toMatchObject({
      status: 'lost',
      clawedBackMinor: 2_500n,
      outstandingMinor: 1_500n,
    });
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(0n);

    const deposit = await depositFunds({
      accountId,
      input: { amount: '10.00' },
      context: context(),
    });
    expect(deposit.events.map((event) => event.type)).toEqual([
      'funds_deposited',
      'shortfall_collected',
    ]);
    expect((await getDispute(disputeId))?.outstandingMinor).toBe(500n);
    await depositFunds({ accountId, input: { amount: '20.00' }, context: context() });
    dispute = await getDispute(disputeId);
    expect(dispute?.outstandingMinor).toBe(0n);
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(1_500n);
    await expect(
      writeOffShortfall({ disputeId, input: { reason: 'x' }, context: context() }),
    ).rejects.toMatchObject({ code: 'nothing_outstanding' });

    const queue = await listDisputes({ accountId, sort: 'newest', limit: 10 });
    expect(queue.items.map((item) => item.id)).toEqual([disputeId]);
    for (const streamId of [`dispute-${disputeId}`, `account-${accountId}`])
      expect((await verifyIntegrity(getPool(), { streamId })).problems).toEqual([]);
  });

  it('refuses what is not a charge, a second open case, and evidence that is not what it claims', async () => {
    const { accountId, chargeEventId } = await charged('50.00', '20.00');
    const account = await getPool().query<{ event_id: string }>(
      `SELECT event_id::text AS event_id FROM events WHERE stream_id = $1 AND type = 'account_opened'`,
      [`account-${accountId}`],
    );
    await expect(
      openDispute({
        input: {
          chargeEventId: account.rows[0]?.event_id as string,
          reasonCode: 'general',
          description: 'x',
        },
        context: context(),
      }),
    ).rejects.toMatchObject({ code: 'not_reversible' });
    const disputeId = await opened(chargeEventId, '5.00');
    await expect(opened(chargeEventId, '5.00')).rejects.toMatchObject({ code: 'dispute_exists' });
    await expect(
      addDisputeEvidence({
        disputeId,
        upload: {
          fileName: 'x.pdf',
          declaredType: 'application/pdf',
          bytes: Buffer.from('<html>'),
        },
        context: context(),
      }),
    ).rejects.toMatchObject({ code: 'unsupported_media_type' });
    expect((await getDispute(disputeId))?.evidence).toEqual([]);
  });
});

describe('races', () => {
  it('two staff resolving one case at once: one outcome, the money moved once', async () => {
    const { accountId, chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const pool = separatePool(4);
    const results = await Promise.allSettled([
      resolveDispute({
        disputeId,
        outcome: 'won',
        note: 'a',
        context: context({ db: pool, batching: false }),
      }),
      resolveDispute({
        disputeId,
        outcome: 'lost',
        note: 'b',
        context: context({ db: pool, batching: false }),
      }),
      resolveDispute({
        disputeId,
        outcome: 'won',
        note: 'c',
        context: context({ db: pool, batching: false }),
      }),
    ]);
    expect(codesOf(results).filter((code) => code === 'ok')).toHaveLength(1);
    expect(
      codesOf(results)
        .filter((code) => code !== 'ok')
        .every((code) => code === 'invalid_transition'),
    ).toBe(true);
    const dispute = await getDispute(disputeId);
    expect(await eventCount('charge_dispute_closed', disputeId)).toBe(1);
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(
      dispute?.outcome === 'won' ? 10_000n : 7_000n,
    );
  });

  it('a case won while the same charge is reversed by hand never gives back more than the charge', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { accountId, chargeEventId } = await charged('100.00', '30.00');
      const disputeId = await opened(chargeEventId, '20.00');
      const pool = separatePool(4);
      const results = await Promise.allSettled([
        resolveDispute({
          disputeId,
          outcome: 'won',
          note: 'won',
          context: context({ db: pool, batching: false }),
        }),
        reverseCharge({
          input: { originalEventId: chargeEventId, reason: 'goodwill' },
          context: context({ db: pool, batching: false }),
        }),
        reverseCharge({
          input: { originalEventId: chargeEventId, amount: '15.00', reason: 'goodwill' },
          context: context({ db: pool, batching: false }),
        }),
      ]);
      expect(results[0]?.status).toBe('fulfilled');
      const charge = await getPool().query<{ reversed_minor: string }>(
        'SELECT reversed_minor::text AS reversed_minor FROM charges WHERE event_id = $1',
        [chargeEventId],
      );
      expect(BigInt(charge.rows[0]?.reversed_minor ?? '0')).toBeLessThanOrEqual(3_000n);
      expect((await getAccount({ accountId }))?.balanceMinor).toBeLessThanOrEqual(10_000n);
      expect((await verifyIntegrity(getPool(), { streamId: `account-${accountId}` })).ok).toBe(
        true,
      );
    }
  });

  it('two cases opened on one charge at once: one opens, the other is told a case exists', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const pool = separatePool(4);
    const open = () =>
      openDispute({
        input: { chargeEventId, reasonCode: 'duplicate', description: 'twice' },
        context: context({ db: pool, batching: false }),
      });
    const results = await Promise.allSettled([open(), open(), open()]);
    expect(codesOf(results).sort()).toEqual(['dispute_exists', 'dispute_exists', 'ok']);
  });

  it('a retry with the same key answers the first result and records nothing more', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const key = context();
    const first = await giveProvisionalCredit({
      disputeId,
      input: { amount: '10.00' },
      context: key,
    });
    const again = await giveProvisionalCredit({
      disputeId,
      input: { amount: '10.00' },
      context: key,
    });
    expect(again.replayed).toBe(true);
    expect(again.disputes[0]?.provisionalCreditMinor).toBe(
      first.disputes[0]?.provisionalCreditMinor,
    );
    expect(await eventCount('provisional_credit_given', disputeId)).toBe(1);
  });
});

describe('write-offs', () => {
  it('an admin writes off what a withdrawn case left owing', async () => {
    const { accountId, chargeEventId } = await charged('30.00', '30.00');
    const disputeId = await opened(chargeEventId);
    await giveProvisionalCredit({ disputeId, input: {}, context: context() });
    await withdrawFunds({ accountId, input: { amount: '30.00' }, context: context() });
    await addDisputeEvidence({
      disputeId,
      upload: { fileName: 'letter.pdf', declaredType: '', bytes: PDF },
      context: context(),
    });
    await resolveDispute({
      disputeId,
      outcome: 'withdrawn',
      note: 'Customer withdrew',
      context: context(),
    });
    const written = await writeOffShortfall({
      disputeId,
      input: { reason: 'Uncollectable' },
      context: context(),
    });
    expect(written.disputes[0]).toMatchObject({ writtenOffMinor: 3_000n, outstandingMinor: 0n });
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(0n);
  });
});

describe('what the review asked us to prove', () => {
  it('a case whose projection was edited behind the ledger’s back is reported, field by field', async () => {
    const { chargeEventId } = await charged('100.00', '40.00');
    const disputeId = await opened(chargeEventId, '10.00');
    const owner = await superuserClient();
    try {
      await owner.query('UPDATE disputes SET amount_minor = 4000 WHERE dispute_id = $1', [
        disputeId,
      ]);
    } finally {
      await owner.end();
    }
    const report = await verifyIntegrity(getPool(), { streamId: `dispute-${disputeId}` });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        reason: 'projection_mismatch',
        streamId: `dispute-${disputeId}`,
        detail: expect.stringContaining('amountMinor'),
      }),
    ]);
  });

  it('keeps file names that cannot disguise what the file is', async () => {
    const { chargeEventId } = await charged('100.00', '40.00');
    const disputeId = await opened(chargeEventId);
    const names: Array<[string, string]> = [
      ['invoice.hta', 'invoice.hta.pdf'],
      ['report\u202Efdp.exe', 'reportfdp.exe.pdf'],
      ['a\r\nb\tc:d?.PDF', 'abcd.PDF'],
      ['..', 'evidence.pdf'],
      ['scan.pdf', 'scan.pdf'],
    ];
    for (const [given] of names)
      await addDisputeEvidence({
        disputeId,
        upload: { fileName: given, declaredType: 'application/pdf', bytes: PDF },
        context: context(),
      });
    const stored = (await getDispute(disputeId))?.evidence.map((item) =>
      item.kind === 'file' ? item.fileName : '',
    );
    expect(stored).toEqual(names.map(([, kept]) => kept));
  });

  it('stores no file for a case that does not exist or can take no more evidence', async () => {
    const files = async () =>
      (await getPool().query<{ n: number }>('SELECT count(*)::int AS n FROM dispute_files')).rows[0]
        ?.n;
    const before = await files();
    const unique = Buffer.concat([PDF, Buffer.from(randomUUID())]);
    await expect(
      addDisputeEvidence({
        disputeId: randomUUID(),
        upload: { fileName: 'x.pdf', declaredType: '', bytes: unique },
        context: context(),
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const { chargeEventId } = await charged('100.00', '40.00');
    const disputeId = await opened(chargeEventId);
    await resolveDispute({ disputeId, outcome: 'withdrawn', note: 'gone', context: context() });
    await expect(
      addDisputeEvidence({
        disputeId,
        upload: { fileName: 'x.pdf', declaredType: '', bytes: unique },
        context: context(),
      }),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    expect(await files()).toBe(before);
  });

  it('refuses a cursor it did not give out', async () => {
    const forged = Buffer.from(`1|${randomUUID()}`).toString('base64url');
    await expect(listDisputes({ sort: 'urgent', limit: 5, cursor: forged })).rejects.toMatchObject({
      code: 'validation_error',
    });
  });
});
