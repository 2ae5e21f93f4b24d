// Retries by idempotency key for every step of a case, not only provisional credit: a retry with
// the same key and input answers exactly what the first attempt answered (marked replayed) and
// writes nothing — no event, no case, no stored file, no key — through the same use cases the
// HTTP routes call, with the context the routes build (actor, key, request id).

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_MAX_BYTES } from '../../ledger/dispute/dispute-rules';
import { context, refusalCode } from '../../../test/support';
import {
  EVIDENCE_BYTES,
  charged,
  disputeCounts,
  opened,
  uniquePdf,
} from '../../../test/dispute-support';
import { getAccount } from '../queries/get-account';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { addDisputeEvidence } from './add-dispute-evidence';
import { addDisputeNote } from './add-dispute-note';
import { giveProvisionalCredit } from './give-provisional-credit';
import { openDispute } from './open-dispute';
import { getDispute } from './read-disputes';
import { resolveDispute } from './resolve-dispute';
import { submitDisputeEvidence } from './submit-dispute-evidence';

/** The context an API route builds for one request: a key the client chose, a request id. */
function request(): CommandContext {
  return context({ actor: 'api_key:disputes-test', requestId: randomUUID() });
}

/** The same request sent again: same actor and key (a retry carries a new request id). */
function retryOf(first: CommandContext): CommandContext {
  return { ...first, requestId: randomUUID() };
}

/** A retry answers the first answer, only marked as replayed. */
function expectSameAnswer(again: CommandResult, first: CommandResult) {
  expect(first.replayed).toBe(false);
  expect(again.replayed).toBe(true);
  expect({ ...again, replayed: false }).toEqual(first);
}

describe('a retry by key of each step of a case answers the first answer and writes nothing', () => {
  it('open: the same case, not a second one', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const input = { chargeEventId, reasonCode: 'duplicate' as const, description: 'Twice' };
    const key = request();
    const first = await openDispute({ input, context: key });
    const disputeId = first.disputes[0]?.id as string;
    const after = await disputeCounts(disputeId);
    expect(after.case_events).toBe(1);

    const again = await openDispute({ input, context: retryOf(key) });
    expectSameAnswer(again, first);
    expect(again.disputes[0]?.id).toBe(disputeId);
    expect(await disputeCounts(disputeId)).toEqual(after);

    // The same key for another request is refused, and writes nothing either.
    expect(
      await refusalCode(
        openDispute({ input: { ...input, description: 'Other' }, context: retryOf(key) }),
      ),
    ).toBe('idempotency_key_reused');
    expect(await disputeCounts(disputeId)).toEqual(after);
  });

  it('a note: one note, though each request generates its own evidence id', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const key = request();
    const first = await addDisputeNote({ disputeId, input: { text: 'Called' }, context: key });
    const after = await disputeCounts(disputeId);
    const again = await addDisputeNote({
      disputeId,
      input: { text: 'Called' },
      context: retryOf(key),
    });
    expectSameAnswer(again, first);
    expect(await disputeCounts(disputeId)).toEqual(after);
    expect((await getDispute(disputeId))?.evidence).toHaveLength(1);
  });

  it('a file: one evidence item and one stored file, though each request generates its own evidence id', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const bytes = uniquePdf();
    const upload = { fileName: 'receipt.pdf', declaredType: 'application/pdf', bytes };
    const before = await disputeCounts(disputeId);
    const key = request();
    const first = await addDisputeEvidence({ disputeId, upload, context: key });
    const after = await disputeCounts(disputeId);
    expect(after.dispute_files).toBe(before.dispute_files + 1);
    expect(after.case_events).toBe(before.case_events + 1);

    const again = await addDisputeEvidence({ disputeId, upload, context: retryOf(key) });
    expectSameAnswer(again, first);
    expect(await disputeCounts(disputeId)).toEqual(after);
    const evidence = (await getDispute(disputeId))?.evidence ?? [];
    expect(evidence).toHaveLength(1);
    expect(evidence[0]?.evidenceId).toBe(first.disputes[0]?.evidence[0]?.evidenceId);

    // Other bytes under the same key are another request: refused, and no second event.
    expect(
      await refusalCode(
        addDisputeEvidence({
          disputeId,
          upload: { ...upload, bytes: uniquePdf() },
          context: retryOf(key),
        }),
      ),
    ).toBe('idempotency_key_reused');
    expect((await disputeCounts(disputeId)).case_events).toBe(after.case_events);
  });

  it('a file whose first answer was lost while a colleague submitted the evidence: the retry still answers it', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const upload = { fileName: 'scan.png', declaredType: 'image/png', bytes: EVIDENCE_BYTES.png };
    const key = request();
    const first = await addDisputeEvidence({ disputeId, upload, context: key });
    await submitDisputeEvidence({ disputeId, context: request() });
    const after = await disputeCounts(disputeId);

    const again = await addDisputeEvidence({ disputeId, upload, context: retryOf(key) });
    expectSameAnswer(again, first);
    expect(await disputeCounts(disputeId)).toEqual(after);
    // A new upload (a new key) is still refused: the submitted set is fixed.
    expect(await refusalCode(addDisputeEvidence({ disputeId, upload, context: request() }))).toBe(
      'invalid_transition',
    );
  });

  it('the file that filled the case to its 25 MiB: the retry answers it instead of "the case is full"', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    const big = Buffer.concat([
      EVIDENCE_BYTES.pdf,
      Buffer.alloc(EVIDENCE_MAX_BYTES - EVIDENCE_BYTES.pdf.byteLength, 0x20),
    ]);
    for (let index = 0; index < 4; index += 1)
      await addDisputeEvidence({
        disputeId,
        upload: { fileName: `part-${index}.pdf`, declaredType: '', bytes: big },
        context: request(),
      });
    const upload = { fileName: 'last.pdf', declaredType: '', bytes: big };
    const key = request();
    const first = await addDisputeEvidence({ disputeId, upload, context: key });
    const after = await disputeCounts(disputeId);

    const again = await addDisputeEvidence({ disputeId, upload, context: retryOf(key) });
    expectSameAnswer(again, first);
    expect(await disputeCounts(disputeId)).toEqual(after);
  });

  it('submit: one submission', async () => {
    const { chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    await addDisputeNote({ disputeId, input: { text: 'Called' }, context: request() });
    const key = request();
    const first = await submitDisputeEvidence({ disputeId, context: key });
    const after = await disputeCounts(disputeId);
    expect(first.disputes[0]?.status).toBe('under_review');

    const again = await submitDisputeEvidence({ disputeId, context: retryOf(key) });
    expectSameAnswer(again, first);
    expect(await disputeCounts(disputeId)).toEqual(after);
    // A new submission (a new key) is refused: there is no second submission.
    expect(await refusalCode(submitDisputeEvidence({ disputeId, context: request() }))).toBe(
      'invalid_transition',
    );
  });

  it('resolve: one outcome, the money moved once', async () => {
    const { accountId, chargeEventId } = await charged('100.00', '30.00');
    const disputeId = await opened(chargeEventId);
    await giveProvisionalCredit({ disputeId, input: { amount: '10.00' }, context: request() });
    const key = request();
    const resolve = (context: CommandContext) =>
      resolveDispute({ disputeId, outcome: 'won', note: 'Merchant refunded', context });
    const first = await resolve(key);
    const after = await disputeCounts(disputeId);
    const balance = (await getAccount({ accountId }))?.balanceMinor;
    expect(balance).toBe(10_000n);
    expect(first.events.map((event) => event.type)).toContain('disputed_charge_refunded');

    const again = await resolve(retryOf(key));
    expectSameAnswer(again, first);
    expect(await disputeCounts(disputeId)).toEqual(after);
    expect((await getAccount({ accountId }))?.balanceMinor).toBe(balance);
  });
});
