// Where each aggregate's rows are read and written, and how commands answer for it: one line per
// aggregate, beside its registration in lib/ledger/aggregates.ts.

import type { AggregateKind } from '../../ledger/aggregate';
import type { AggregateStore } from '../pipeline/aggregate-store';
import type { RecordAnswers } from '../pipeline/record-answers';
import { approvalRecordAnswers, type ApprovalRecord } from './approval/approval-record';
import { approvalStore } from './approval/approval-store';
import { accountRecordAnswers, type AccountRecord } from './account/account-record';
import { accountStore } from './account/account-store';
import { disputeRecordAnswers, type DisputeRecord } from './dispute/dispute-record';
import { disputeStore } from './dispute/dispute-store';
import { holdRecordAnswers, type HoldRecord } from './hold/hold-record';
import { holdStore } from './hold/hold-store';

/** The record the server shows of each kind of aggregate. */
export interface RecordsOf {
  readonly account: AccountRecord;
  readonly hold: HoldRecord;
  readonly dispute: DisputeRecord;
  readonly approval: ApprovalRecord;
}

export const AGGREGATE_STORES: { readonly [K in AggregateKind]: AggregateStore<K> } = {
  account: accountStore,
  hold: holdStore,
  dispute: disputeStore,
  approval: approvalStore,
};

export const RECORD_ANSWERS: { readonly [K in AggregateKind]: RecordAnswers<RecordsOf[K]> } = {
  account: accountRecordAnswers,
  hold: holdRecordAnswers,
  dispute: disputeRecordAnswers,
  approval: approvalRecordAnswers,
};
