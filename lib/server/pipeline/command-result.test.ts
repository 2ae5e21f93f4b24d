// A command's stored answer is what a retry returns: it must come back exactly, for every kind of
// aggregate, and answers stored by earlier versions (before holds, before dispute cases) must
// still decode.

import { describe, expect, it } from 'vitest';
import { decodeCommandResult, encodeCommandResult } from './command-result';

const at = new Date('2026-03-15T14:47:00.000Z');
const account = {
  id: 'acc_1',
  ownerId: 'o',
  currency: 'USD' as const,
  balanceMinor: 12_345n,
  heldMinor: 100n,
  owedMinor: 5n,
  frozen: false,
  frozenReason: null,
  version: 7,
  openedAt: at,
  lastEventAt: at,
  updatedAt: at,
};

describe('stored command answers', () => {
  it('come back exactly, records of every kind included', () => {
    const result = {
      events: [],
      accounts: [account],
      holds: [
        {
          id: '0195a1b2-c3d4-7e5f-8a9b-00000000b001',
          accountId: 'acc_1',
          currency: 'USD' as const,
          amountMinor: 500n,
          capturedMinor: 100n,
          remainingMinor: 400n,
          status: 'active' as const,
          reason: 'auth',
          reference: '',
          expiresAt: null,
          placedAt: at,
          version: 2,
          updatedAt: at,
        },
      ],
      disputes: [
        {
          id: '0195a1b2-c3d4-7e5f-8a9b-0000000d0001',
          accountId: 'acc_1',
          chargeEventId: '0195a1b2-c3d4-7e5f-8a9b-0000000c0001',
          currency: 'USD' as const,
          amountMinor: 300n,
          reasonCode: 'fraudulent' as const,
          description: 'd',
          status: 'lost' as const,
          assigneeId: null,
          dueBy: at,
          overdue: false,
          provisionalCreditMinor: 300n,
          refundedMinor: 0n,
          clawedBackMinor: 100n,
          outstandingMinor: 200n,
          writtenOffMinor: 0n,
          outcome: 'lost' as const,
          resolutionNote: 'n',
          resolvedAt: at,
          submittedAt: null,
          evidence: [
            { kind: 'note' as const, evidenceId: 'e', text: 't', addedAt: at, submitted: true },
          ],
          version: 4,
          openedAt: at,
          updatedAt: at,
        },
      ],
      approvals: [],
    };
    const stored = JSON.parse(JSON.stringify(encodeCommandResult(result)));
    expect(decodeCommandResult(stored)).toEqual(result);
  });

  it('stored before holds and dispute cases existed, still decode', () => {
    const { heldMinor: _held, owedMinor: _owed, ...older } = account;
    const stored = {
      events: [],
      accounts: [
        {
          ...older,
          balanceMinor: '12345',
          openedAt: at.toISOString(),
          lastEventAt: at.toISOString(),
          updatedAt: at.toISOString(),
        },
      ],
    };
    expect(decodeCommandResult(stored)).toEqual({
      approvals: [],
      events: [],
      accounts: [{ ...account, heldMinor: 0n, owedMinor: 0n }],
      holds: [],
      disputes: [],
    });
  });
});
