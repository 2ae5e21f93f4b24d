import { describe, expect, it } from 'vitest';
import { accountId as newAccountId, context, openTestAccount } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { importHistory } from '../import/import-history';
import { getAccountAt } from './get-account-at';
import { listTimeline } from './list-timeline';
import { replayFromLog } from './replay-aggregate';

const at = (iso: string) => new Date(iso);

describe('point-in-time queries', () => {
  it('answers "what was the balance at 2:47 PM on March 15?" from a known history', async () => {
    const id = newAccountId('pit');
    await importHistory({
      actor: 'system:test',
      commands: [
        {
          occurredAt: at('2026-03-01T09:00:00Z'),
          command: { type: 'open_account', accountId: id, ownerId: 'o', currency: 'USD' },
        },
        {
          occurredAt: at('2026-03-10T10:00:00Z'),
          command: {
            type: 'deposit',
            accountId: id,
            amount: '1000.00',
            source: 'ach',
            reference: '',
          },
        },
        {
          occurredAt: at('2026-03-15T14:30:00Z'),
          command: {
            type: 'withdraw',
            accountId: id,
            amount: '250.00',
            destination: 'card',
            reference: '',
          },
        },
        {
          occurredAt: at('2026-03-15T14:47:00Z'),
          command: { type: 'freeze_account', accountId: id, reason: 'suspicious activity' },
        },
        {
          occurredAt: at('2026-03-20T08:00:00Z'),
          command: { type: 'deposit', accountId: id, amount: '5.00', source: '', reference: '' },
        },
      ],
    });
    expect(await getAccountAt({ accountId: id, at: at('2026-02-28T00:00:00Z') })).toBeNull();
    const opened = await getAccountAt({ accountId: id, at: at('2026-03-01T09:00:00Z') });
    expect(opened?.account).toMatchObject({ balanceMinor: 0n, version: 1, frozen: false });
    const beforeWithdrawal = await getAccountAt({
      accountId: id,
      at: at('2026-03-15T14:29:59.999Z'),
    });
    expect(beforeWithdrawal?.account).toMatchObject({ balanceMinor: 100_000n, version: 2 });
    const atFreeze = await getAccountAt({ accountId: id, at: at('2026-03-15T14:47:00Z') });
    expect(atFreeze?.account).toMatchObject({
      balanceMinor: 75_000n,
      version: 4,
      frozen: true,
      frozenReason: 'suspicious activity',
    });
    expect(atFreeze?.lastEvent).toMatchObject({ type: 'account_frozen', version: 4 });
    const justBeforeFreeze = await getAccountAt({
      accountId: id,
      at: at('2026-03-15T14:46:59.999Z'),
    });
    expect(justBeforeFreeze?.account).toMatchObject({
      balanceMinor: 75_000n,
      version: 3,
      frozen: false,
      frozenReason: null,
    });
    const latest = await getAccountAt({ accountId: id, at: at('2030-01-01T00:00:00Z') });
    expect(latest?.account).toMatchObject({ balanceMinor: 75_500n, version: 5 });

    for (const instant of [
      '2026-03-10T10:00:00Z',
      '2026-03-15T14:47:00Z',
      '2026-03-19T00:00:00Z',
    ]) {
      const replayed = await replayFromLog({ kind: 'account', id: id, at: at(instant) });
      const looked = await getAccountAt({ accountId: id, at: at(instant) });
      expect(replayed?.status === 'open' && replayed.balanceMinor).toBe(
        looked?.account.balanceMinor,
      );
      expect(replayed?.version).toBe(looked?.account.version);
    }
  });

  it('refuses imported history that goes back in time, and writes none of its batch', async () => {
    const id = newAccountId('order');
    await expect(
      importHistory({
        actor: 'system:test',
        commands: [
          {
            occurredAt: at('2026-03-02T00:00:00Z'),
            command: { type: 'open_account', accountId: id, ownerId: 'o', currency: 'USD' },
          },
          {
            occurredAt: at('2026-03-01T00:00:00Z'),
            command: { type: 'deposit', accountId: id, amount: '1.00', source: '', reference: '' },
          },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/time order/),
    });
    expect(await getAccountAt({ accountId: id, at: at('2030-01-01T00:00:00Z') })).toBeNull();
  });
});

describe('timeline', () => {
  it('pages newest first with the balance after each event', async () => {
    const id = await openTestAccount({ balance: '10.00' });
    for (let index = 0; index < 5; index += 1) {
      await depositFunds({ accountId: id, input: { amount: '1.00' }, context: context() });
    }
    const first = await listTimeline({ accountId: id, limit: 3 });
    expect(first.entries.map((entry) => entry.event.streamVersion)).toEqual([7, 6, 5]);
    expect(first.entries.map((entry) => entry.balanceAfterMinor)).toEqual([1_500n, 1_400n, 1_300n]);
    expect(first.nextBeforeVersion).toBe(5);
    const second = await listTimeline({ accountId: id, limit: 3, beforeVersion: 5 });
    expect(second.entries.map((entry) => entry.event.streamVersion)).toEqual([4, 3, 2]);
    const last = await listTimeline({ accountId: id, limit: 3, beforeVersion: 2 });
    expect(last.entries.map((entry) => entry.event.type)).toEqual(['account_opened']);
    expect(last.nextBeforeVersion).toBeNull();
  });
});
