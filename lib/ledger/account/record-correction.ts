// A backdated correction: a deposit or withdrawal found late, recorded now with its effect dated
// at a past instant. History is not edited: the correction is a new event, and point-in-time
// answers "as known now" include it from its effective instant on, while answers "as known then"
// (before it was recorded) do not. It is refused when its effective instant is before the account
// was opened or is still to come, and — for a withdrawal — when any balance from that instant on,
// as now known, would have gone negative, or the account cannot give it up now.

import { AppError, fieldError } from '../../errors';
import { refOf } from '../aggregate';
import type { CommandHandler, Decision } from '../command-handler';
import { requireText } from '../field-rules';
import { lowestBalanceKey, type LedgerState } from '../ledger-state';
import { REASON_MAX_LENGTH, UUID_PATTERN } from '../limits';
import { formatAmount, parseAmount } from '../money';
import { availableAt } from './account-state';
import { requireOpenAccount, requireRoomFor } from './account-rules';

export const CORRECTION_KINDS = ['deposit', 'withdrawal'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

export interface RecordCorrectionCommand {
  readonly type: 'record_correction';
  readonly accountId: string;
  readonly kind: CorrectionKind;
  readonly amount: string;
  /** ISO 8601 instant: when the corrected movement should have taken effect. */
  readonly effectiveAt: string;
  readonly reason: string;
  /** The event this corrects, when there is one (checked to be on this account by the caller). */
  readonly correctsEventId?: string | undefined;
}

function effectiveInstantOf(command: RecordCorrectionCommand): Date {
  const instant = new Date(command.effectiveAt);
  if (Number.isNaN(instant.getTime()))
    throw fieldError('effectiveAt', 'The effective instant is an ISO 8601 date and time.');
  return instant;
}

export const recordCorrectionHandler: CommandHandler<RecordCorrectionCommand> = {
  requirements: (command) => {
    const aggregates = [refOf('account', command.accountId)];
    const effectiveAt = new Date(command.effectiveAt);
    // Only a withdrawal can take a past balance below zero: it needs the lowest balance since.
    if (command.kind !== 'withdrawal' || Number.isNaN(effectiveAt.getTime())) return { aggregates };
    return { aggregates, lowestBalances: [{ accountId: command.accountId, since: effectiveAt }] };
  },
  expectedVersionOf: (command) => refOf('account', command.accountId),
  decide(command, state: LedgerState, now): Decision[] {
    const open = requireOpenAccount(state, command.accountId, 'accountId');
    if (!(CORRECTION_KINDS as readonly string[]).includes(command.kind))
      throw fieldError('kind', 'A correction is a deposit or a withdrawal.');
    const effectiveAt = effectiveInstantOf(command);
    if (effectiveAt.getTime() < open.openedAt.getTime())
      throw fieldError(
        'effectiveAt',
        `Account ${open.accountId} was opened at ${open.openedAt.toISOString()}; a correction cannot take effect before that.`,
      );
    if (effectiveAt.getTime() > now.getTime())
      throw fieldError('effectiveAt', 'A correction takes effect in the past, not in the future.');
    const amountMinor = parseAmount(command.amount, open.currency);
    const reason = requireText(command.reason, 'reason', REASON_MAX_LENGTH);
    const correctsEventId = command.correctsEventId ?? '';
    if (correctsEventId !== '' && !UUID_PATTERN.test(correctsEventId))
      throw fieldError('correctsEventId', 'The corrected event is named by its id, a UUID.');
    const format = (minor: bigint) =>
      `${formatAmount(minor, open.currency, { grouping: true })} ${open.currency}`;
    if (command.kind === 'withdrawal') {
      const lowest = state.lowestBalances.get(lowestBalanceKey(open.accountId, effectiveAt));
      if (lowest === undefined)
        throw new Error('record_correction decided without the lowest balance it requires');
      if (lowest < amountMinor)
        throw new AppError(
          'correction_breaks_history',
          `From ${effectiveAt.toISOString()} on, account ${open.accountId}'s balance (as now known) fell to ${format(lowest)}; a correcting withdrawal of ${format(amountMinor)} would have taken it below zero.`,
          { fieldErrors: { amount: `At most ${format(lowest)} from that instant on.` } },
        );
      // Now, too: what holds reserve and what lost disputes left owing stay covered.
      const available = availableAt(open, now);
      if (available < amountMinor)
        throw new AppError(
          'insufficient_funds',
          `Account ${open.accountId} has ${format(available)} available now, less than the correction's ${format(amountMinor)}.`,
          { fieldErrors: { amount: `At most ${format(available)} now.` } },
        );
    } else requireRoomFor(open, amountMinor);
    return [
      {
        target: refOf('account', open.accountId),
        ...(correctsEventId ? { causationId: correctsEventId } : {}),
        event: {
          type: 'balance_corrected',
          schemaVersion: 1,
          data: {
            kind: command.kind,
            amountMinor,
            currency: open.currency,
            effectiveAt,
            reason,
            correctsEventId,
          },
        },
      },
    ];
  },
};
