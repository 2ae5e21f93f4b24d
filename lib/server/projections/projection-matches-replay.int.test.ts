// Property: whatever sequence of commands arrives (including refused ones), the inline
// projections equal a full replay of the log, money is conserved, and no balance is ever
// negative — checked against the real database.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { accountStreamId } from '../../ledger/events';
import { formatAmount } from '../../ledger/money';
import { context } from '../../../test/support';
import { getPool } from '../db/pool';
import { verifyIntegrity } from '../integrity/verify-integrity';
import { executeCommand } from '../pipeline/execute-command';
import type { LedgerCommand } from '../../ledger/commands';
import { getAccountAt } from '../queries/get-account-at';
import { replayFromLog } from '../queries/replay-aggregate';

const ACCOUNTS = ['a', 'b', 'c'];
const amount = fc.bigInt({ min: 1n, max: 50_000n }).map((minor) => formatAmount(minor, 'USD'));
const smallAmount = fc.bigInt({ min: 1n, max: 2_000n }).map((minor) => formatAmount(minor, 'USD'));
const account = fc.constantFrom(...ACCOUNTS);

type Step =
  | { kind: 'deposit'; account: string; amount: string }
  | { kind: 'withdraw'; account: string; amount: string }
  | { kind: 'transfer'; from: string; to: string; amount: string }
  | { kind: 'reverse'; pick: number; amount: string | undefined }
  | { kind: 'freeze' | 'unfreeze'; account: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deposit' as const), account, amount }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), account, amount }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      from: account,
      to: account,
      amount,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      pick: fc.nat(),
      // Half "whatever is left", half a small partial amount that often fits.
      amount: fc.option(smallAmount, { nil: undefined, freq: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('freeze' as const), account }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unfreeze' as const), account }) },
);

describe('inline projections', () => {
  it('always agree with a full replay, conserve money and never go negative', async () => {
    let run = 0;
    const recordedTypes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
        run += 1;
        const prefix = `prop${run}-${Math.random().toString(36).slice(2, 8)}`;
        const id = (name: string) => `${prefix}-${name}`;
        const withdrawals: string[] = [];
        const commands: LedgerCommand[] = ACCOUNTS.map((name) => ({
          type: 'open_account',
          accountId: id(name),
          ownerId: 'o',
          currency: 'USD',
        }));
        for (const item of steps) {
          switch (item.kind) {
            case 'deposit':
              commands.push({
                type: 'deposit',
                accountId: id(item.account),
                amount: item.amount,
                source: '',
                reference: '',
              });
              break;
            case 'withdraw':
              commands.push({
                type: 'withdraw',
                accountId: id(item.account),
                amount: item.amount,
                destination: '',
                reference: '',
              });
              break;
            case 'transfer':
              commands.push({
                type: 'transfer',
                transferId: `${prefix}-${commands.length}`,
                fromAccountId: id(item.from),
                toAccountId: id(item.to),
                amount: item.amount,
                reference: '',
              });
              break;
            case 'reverse':
              // Resolved when it runs: the n-th withdrawal recorded so far, if any.
              commands.push({
                type: 'reverse_charge',
                accountId: '',
                originalEventId: String(item.pick),
                amount: item.amount,
                reason: 'property',
              });
              break;
            default:
              commands.push({
                type: item.kind === 'freeze' ? 'freeze_account' : 'unfreeze_account',
                accountId: id(item.account),
                reason: 'property',
              });
          }
        }
        let externalInMinor = 0n;
        for (const command of commands) {
          let resolved = command;
          if (command.type === 'reverse_charge') {
            const chargeId =
              withdrawals[Number(command.originalEventId) % Math.max(withdrawals.length, 1)];
            if (!chargeId) continue;
            const owner = await getPool().query(
              'SELECT account_id FROM charges WHERE event_id = $1',
              [chargeId],
            );
            resolved = {
              ...command,
              originalEventId: chargeId,
              accountId: owner.rows[0].account_id,
            };
          }
          try {
            const result = await executeCommand({
              command: resolved,
              context: context(),
              requestInput: resolved,
            });
            for (const event of result.events) {
              recordedTypes.set(event.type, (recordedTypes.get(event.type) ?? 0) + 1);
              const data = event.data as { amountMinor?: string };
              if (event.type === 'funds_withdrawn') {
                withdrawals.push(event.eventId);
                externalInMinor -= BigInt(data.amountMinor ?? '0');
              }
              if (event.type === 'funds_deposited' || event.type === 'charge_reversed')
                externalInMinor += BigInt(data.amountMinor ?? '0');
            }
          } catch (error) {
            // Refusals are part of the property: they must be typed and must leave no trace.
            if (!(error instanceof AppError)) throw error;
          }
        }

        let total = 0n;
        for (const name of ACCOUNTS) {
          const accountId = id(name);
          const projected = await getPool().query(
            'SELECT balance_minor::text AS balance, frozen, version FROM accounts WHERE id = $1',
            [accountId],
          );
          const replayed = await replayFromLog({ kind: 'account', id: accountId });
          if (replayed?.status !== 'open') throw new Error('account should be open');
          expect({
            balance: BigInt(projected.rows[0].balance),
            frozen: projected.rows[0].frozen,
            version: projected.rows[0].version,
          }).toEqual({
            balance: replayed.balanceMinor,
            frozen: replayed.isFrozen,
            version: replayed.version,
          });
          total += replayed.balanceMinor;

          const history = await getPool().query<{ version: number; balance: string }>(
            'SELECT version, balance_after_minor::text AS balance FROM balance_history WHERE account_id = $1 ORDER BY version',
            [accountId],
          );
          expect(history.rows.map((row) => row.version)).toEqual(
            Array.from({ length: replayed.version }, (_, index) => index + 1),
          );
          expect(history.rows.every((row) => BigInt(row.balance) >= 0n)).toBe(true);
          const asOfNow = await getAccountAt({ accountId, at: new Date(Date.now() + 60_000) });
          expect(asOfNow?.account.balanceMinor).toBe(replayed.balanceMinor);
          expect(
            (await verifyIntegrity(getPool(), { streamId: accountStreamId(accountId) })).ok,
          ).toBe(true);
        }
        // Transfers move money between accounts; only deposits, withdrawals and reversals move it in or out.
        expect(total).toBe(externalInMinor);
      }),
      { numRuns: 40 },
    );
    // Guard against a vacuous pass: the random runs must have exercised every kind of event.
    for (const type of [
      'funds_deposited',
      'funds_withdrawn',
      'transfer_initiated',
      'transfer_completed',
      'charge_reversed',
      'account_frozen',
      'account_unfrozen',
    ]) {
      expect(recordedTypes.get(type) ?? 0, type).toBeGreaterThan(0);
    }
  });
});
