// The HTTP API v1 contract: every operation's method, path, permission, inputs and answers, in
// one table. Route handlers are built from these entries (api-route.ts) and the OpenAPI document
// is generated from the same entries (openapi.ts), so the two cannot drift apart.

import { z } from 'zod';
import { approvalListQuery } from '../approvals/read-approvals';
import { cancelApprovalInput, rejectApprovalInput } from '../../schemas/approval-inputs';
import type { Permission } from '../../auth/permissions';
import type { ErrorCode } from '../../errors';
import {
  accountAsOfResource,
  accountAtQuery,
  accountEventPage,
  accountEventsQuery,
  accountPage,
  accountResource,
  adminActionPage,
  approvalDecisionResult,
  approvalPage,
  approvalResource,
  adminActionsQuery,
  eventFeedPage,
  eventFeedQuery,
  checkpointListQuery,
  checkpointPage,
  disputePage,
  disputeResource,
  listDisputesQuery,
  healthReport,
  holdPage,
  holdResource,
  holdResult,
  integrityReport,
  listAccountsQuery,
  listHoldsQuery,
  movementResult,
  proofDocumentResource,
  publicKeyResource,
  signedCheckpointResource,
  signedStatementResource,
  statementQuery,
  transferResult,
  verificationRunResource,
} from '../../schemas/api-resources';
import {
  assignDisputeInput,
  disputeNoteInput,
  openDisputeInput,
  provisionalCreditInput,
  resolveDisputeInput,
  withdrawDisputeInput,
  writeOffInput,
} from '../../schemas/dispute-inputs';
import {
  captureHoldInput,
  correctionInput,
  depositInput,
  freezeInput,
  openAccountInput,
  placeHoldInput,
  releaseHoldInput,
  reversalInput,
  transferInput,
  withdrawalInput,
} from '../../schemas/ledger-inputs';

export interface ApiOperation {
  readonly operationId: string;
  readonly method: 'GET' | 'POST';
  /** OpenAPI-style path, e.g. /api/v1/accounts/{id}. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Null for public operations (documentation, health). */
  readonly permission: Permission | null;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** A multipart/form-data body with one file in this field, read by the handler itself. */
  readonly upload?: { readonly field: string; readonly description: string };
  readonly success: {
    readonly status: number;
    readonly schema: z.ZodType;
    readonly description: string;
    readonly location?: boolean;
    /** For answers that are not JSON (a ZIP): their media type; `schema` is then unused. */
    readonly mediaType?: string;
  };
  /** POSTs on an account or a case accept If-Match with its expected version. */
  readonly acceptsIfMatch?: boolean;
  /**
   * The approval policy may hold this command: it then answers 202 Accepted with the
   * ApprovalRequest (and its Location) instead of running it.
   */
  readonly mayNeedApproval?: boolean;
  /** Error codes this operation can answer with, besides the ones every operation can. */
  readonly errors: readonly ErrorCode[];
}

const MOVEMENT_ERRORS = [
  'validation_error',
  'not_found',
  'insufficient_funds',
  'account_frozen',
  'concurrency_conflict',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
] as const;

const CASE_ERRORS = [
  'validation_error',
  'not_found',
  'invalid_transition',
  'concurrency_conflict',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
] as const;

interface CaseStep {
  operationId: string;
  path: string;
  summary: string;
  description: string;
  permission?: Permission;
  errors?: readonly ErrorCode[];
}

/** One step of a case: POST /api/v1/disputes/{disputeId}/<step>, answered with the case after it. */
function caseStep<B extends z.ZodType>(
  step: CaseStep & { body: B },
): ReturnType<typeof stepOf> & { body: B };
function caseStep(step: CaseStep): ReturnType<typeof stepOf>;
function caseStep(step: CaseStep & { body?: z.ZodType }) {
  return { ...stepOf(step), ...(step.body ? { body: step.body } : {}) };
}

function stepOf(step: CaseStep) {
  return {
    operationId: step.operationId,
    method: 'POST',
    path: `/api/v1/disputes/{disputeId}/${step.path}`,
    summary: step.summary,
    description: step.description,
    tag: 'Disputes',
    permission: step.permission ?? 'disputes:work',
    acceptsIfMatch: true,
    success: { status: 200, schema: disputeResource, description: 'The case after this step.' },
    errors: [...CASE_ERRORS, ...(step.errors ?? [])],
  } as const;
}

export const API = {
  createAccount: {
    operationId: 'createAccount',
    method: 'POST',
    path: '/api/v1/accounts',
    summary: 'Open an account',
    description:
      'Opens an account, optionally with an opening deposit. The id is generated when omitted.',
    tag: 'Accounts',
    permission: 'accounts:open',
    body: openAccountInput,
    success: {
      status: 201,
      schema: accountResource,
      description: 'The new account.',
      location: true,
    },
    errors: [
      'validation_error',
      'account_already_exists',
      'idempotency_key_reused',
      'payload_too_large',
      'unsupported_media_type',
    ],
  },
  listAccounts: {
    operationId: 'listAccounts',
    method: 'GET',
    path: '/api/v1/accounts',
    summary: 'List accounts',
    tag: 'Accounts',
    permission: 'accounts:read',
    query: listAccountsQuery,
    success: {
      status: 200,
      schema: accountPage,
      description: 'A page of accounts, ordered by id.',
    },
    errors: ['validation_error'],
  },
  getAccount: {
    operationId: 'getAccount',
    method: 'GET',
    path: '/api/v1/accounts/{id}',
    summary: 'Get an account, now or as of an instant',
    description:
      'With `at`, answers with the account as it stood at that instant (occurred-at axis), plus `asOf` and `lastEventId`; 404 if it did not exist yet.',
    tag: 'Accounts',
    permission: 'accounts:read',
    query: accountAtQuery,
    success: {
      status: 200,
      schema: z.union([accountResource, accountAsOfResource]),
      description: 'The account (as of `at`, when given).',
    },
    errors: ['validation_error', 'not_found'],
  },
  listAccountEvents: {
    operationId: 'listAccountEvents',
    method: 'GET',
    path: '/api/v1/accounts/{id}/events',
    summary: "List an account's events",
    tag: 'Accounts',
    permission: 'accounts:read',
    query: accountEventsQuery,
    success: {
      status: 200,
      schema: accountEventPage,
      description: 'Events with versions after `afterVersion`, oldest first.',
    },
    errors: ['validation_error', 'not_found'],
  },
  deposit: {
    operationId: 'deposit',
    method: 'POST',
    path: '/api/v1/accounts/{id}/deposits',
    summary: 'Deposit into an account',
    tag: 'Money movements',
    permission: 'funds:deposit',
    body: depositInput,
    acceptsIfMatch: true,
    success: {
      status: 201,
      schema: movementResult,
      description: 'The deposit event and the account after it.',
    },
    errors: MOVEMENT_ERRORS,
  },
  withdraw: {
    mayNeedApproval: true,
    operationId: 'withdraw',
    method: 'POST',
    path: '/api/v1/accounts/{id}/withdrawals',
    summary: 'Withdraw from an account',
    tag: 'Money movements',
    permission: 'funds:withdraw',
    body: withdrawalInput,
    acceptsIfMatch: true,
    success: {
      status: 201,
      schema: movementResult,
      description: 'The withdrawal event and the account after it.',
    },
    errors: MOVEMENT_ERRORS,
  },
  transfer: {
    mayNeedApproval: true,
    operationId: 'transfer',
    method: 'POST',
    path: '/api/v1/transfers',
    summary: 'Transfer between two accounts',
    description:
      'Both legs are written in one transaction: transfer_initiated on the source, transfer_completed on the destination.',
    tag: 'Money movements',
    permission: 'funds:transfer',
    body: transferInput,
    success: {
      status: 201,
      schema: transferResult,
      description: 'Both legs and both accounts after the transfer.',
    },
    errors: [...MOVEMENT_ERRORS, 'currency_mismatch'],
  },
  reverse: {
    mayNeedApproval: true,
    operationId: 'reverseCharge',
    method: 'POST',
    path: '/api/v1/reversals',
    summary: 'Reverse all or part of a charge',
    description: 'Reverses a withdrawal. `amount` defaults to whatever has not been reversed yet.',
    tag: 'Money movements',
    permission: 'charges:reverse',
    body: reversalInput,
    success: {
      status: 201,
      schema: movementResult,
      description: 'The reversal event and the account after it.',
    },
    errors: [...MOVEMENT_ERRORS, 'reversal_exceeds_original', 'not_reversible'],
  },
  placeHold: {
    operationId: 'placeHold',
    method: 'POST',
    path: '/api/v1/accounts/{id}/holds',
    summary: 'Place a hold on an account',
    description:
      'Reserves an amount, as a card authorisation does: it stays in the balance but is no longer available, until the hold is captured, released or expires. Refused with `insufficient_funds` when it exceeds the available balance, and on a frozen account.',
    tag: 'Holds',
    permission: 'holds:place',
    body: placeHoldInput,
    acceptsIfMatch: true,
    success: {
      status: 201,
      schema: holdResult,
      description: 'The events, the new hold and the account after it.',
      location: true,
    },
    errors: MOVEMENT_ERRORS,
  },
  listAccountHolds: {
    operationId: 'listAccountHolds',
    method: 'GET',
    path: '/api/v1/accounts/{id}/holds',
    summary: "List an account's holds",
    tag: 'Holds',
    permission: 'accounts:read',
    query: listHoldsQuery,
    success: { status: 200, schema: holdPage, description: 'A page of holds, newest first.' },
    errors: ['validation_error', 'not_found'],
  },
  getHold: {
    operationId: 'getHold',
    method: 'GET',
    path: '/api/v1/holds/{holdId}',
    summary: 'Get a hold',
    tag: 'Holds',
    permission: 'accounts:read',
    success: { status: 200, schema: holdResource, description: 'The hold, as of now.' },
    errors: ['not_found'],
  },
  captureHold: {
    mayNeedApproval: true,
    operationId: 'captureHold',
    method: 'POST',
    path: '/api/v1/holds/{holdId}/captures',
    summary: 'Capture all or part of a hold',
    description:
      'Posts the amount as a debit of the account (a charge, which may later be reversed). `amount` defaults to all that remains; several partial captures may follow each other up to the hold. What remains stays reserved until captured, released or expired. A hold is decided by the instant: past its `expiresAt` it cannot be captured.',
    tag: 'Holds',
    permission: 'holds:capture',
    body: captureHoldInput,
    success: {
      status: 201,
      schema: holdResult,
      description: 'The events, the hold and the account after the capture.',
    },
    errors: [
      'validation_error',
      'not_found',
      'hold_not_active',
      'capture_exceeds_hold',
      'account_frozen',
      'concurrency_conflict',
      'idempotency_key_reused',
      'payload_too_large',
      'unsupported_media_type',
    ],
  },
  releaseHold: {
    operationId: 'releaseHold',
    method: 'POST',
    path: '/api/v1/holds/{holdId}/release',
    summary: 'Release a hold',
    description:
      'Ends the reservation: what the hold still reserved becomes available; nothing is posted.',
    tag: 'Holds',
    permission: 'holds:release',
    body: releaseHoldInput,
    success: {
      status: 200,
      schema: holdResult,
      description: 'The events, the hold and the account after the release.',
    },
    errors: [
      'validation_error',
      'not_found',
      'hold_not_active',
      'concurrency_conflict',
      'idempotency_key_reused',
      'payload_too_large',
      'unsupported_media_type',
    ],
  },
  recordCorrection: {
    mayNeedApproval: true,
    operationId: 'recordCorrection',
    method: 'POST',
    path: '/api/v1/accounts/{id}/corrections',
    summary: 'Record a backdated correction',
    description:
      'Admins only, and through approval whenever the policy holds corrections (the default policy always does: the answer is then 202 with the ApprovalRequest). A correcting deposit or withdrawal recorded now whose effect on the balance is dated at `effectiveAt`, in the past: answers `?at=` from that instant on include it, answers `?knownAt=` earlier than its recording do not. Refused when `effectiveAt` is before the account was opened or in the future, and — for a withdrawal — when any balance from `effectiveAt` on, as now known, would have gone below zero (`correction_breaks_history`).',
    tag: 'Money movements',
    permission: 'accounts:correct',
    body: correctionInput,
    success: {
      status: 201,
      schema: movementResult,
      description: 'The correction event and the account after it (only when approvals are off).',
    },
    errors: [...MOVEMENT_ERRORS, 'correction_breaks_history', 'balance_limit_exceeded'],
  },
  freeze: {
    mayNeedApproval: true,
    operationId: 'freezeAccount',
    method: 'POST',
    path: '/api/v1/accounts/{id}/freeze',
    summary: 'Freeze an account',
    tag: 'Accounts',
    permission: 'accounts:freeze',
    body: freezeInput,
    acceptsIfMatch: true,
    success: { status: 200, schema: accountResource, description: 'The frozen account.' },
    errors: [
      'validation_error',
      'not_found',
      'already_frozen',
      'concurrency_conflict',
      'idempotency_key_reused',
      'payload_too_large',
      'unsupported_media_type',
    ],
  },
  unfreeze: {
    mayNeedApproval: true,
    operationId: 'unfreezeAccount',
    method: 'POST',
    path: '/api/v1/accounts/{id}/unfreeze',
    summary: 'Unfreeze an account',
    tag: 'Accounts',
    permission: 'accounts:unfreeze',
    body: freezeInput,
    acceptsIfMatch: true,
    success: { status: 200, schema: accountResource, description: 'The unfrozen account.' },
    errors: [
      'validation_error',
      'not_found',
      'not_frozen',
      'concurrency_conflict',
      'idempotency_key_reused',
      'payload_too_large',
      'unsupported_media_type',
    ],
  },
  eventFeed: {
    operationId: 'listEvents',
    method: 'GET',
    path: '/api/v1/events',
    summary: 'The global event feed',
    description:
      'Every committed event after `after`, in commit-safe order: an event whose transaction commits late is still delivered after the position you hold, never skipped. Keep `next` and pass it back as `after`.',
    tag: 'Events',
    permission: 'audit:read',
    query: eventFeedQuery,
    success: {
      status: 200,
      schema: eventFeedPage,
      description: 'The next events and where to continue.',
    },
    errors: ['validation_error'],
  },
  listAdminActions: {
    operationId: 'listAdminActions',
    method: 'GET',
    path: '/api/v1/admin-actions',
    summary: 'The trail of administrative actions',
    description:
      'Users created, roles changed, users disabled and enabled, API keys created and revoked: who did it, when, and what it was before and after, newest first. Each is an event in the log (append-only, hash-chained), also in the global feed.',
    tag: 'Events',
    permission: 'audit:read',
    query: adminActionsQuery,
    success: { status: 200, schema: adminActionPage, description: 'A page of actions.' },
    errors: ['validation_error'],
  },
  integrity: {
    operationId: 'verifyIntegrity',
    method: 'GET',
    path: '/api/v1/integrity',
    summary: 'The integrity of every hash chain',
    description:
      'Answers at once with what the background verifier has established: events are verified incrementally as they are committed, and every stream head is cross-checked against its projection. Events newer than `verifiedThrough` are counted in `pendingEvents`, never reported as verified. Problems stay reported until a full re-verification finds the ledger intact.',
    tag: 'Integrity',
    permission: 'integrity:verify',
    success: {
      status: 200,
      schema: integrityReport,
      description: 'Whether the verified part of the ledger is intact, and every problem found.',
    },
    errors: [],
  },
  requestFullVerification: {
    operationId: 'requestFullVerification',
    method: 'POST',
    path: '/api/v1/integrity/verifications',
    summary: 'Re-verify the whole ledger',
    description:
      'Queues a full re-verification (every chain from its first event, every head), carried out in the background; poll the returned run for progress. A run already queued or running is returned instead of a second one.',
    tag: 'Integrity',
    permission: 'integrity:reverify',
    body: z.strictObject({}).meta({ description: 'An empty object.' }),
    success: {
      status: 202,
      schema: verificationRunResource,
      description: 'The queued (or already pending) run.',
      location: true,
    },
    errors: ['validation_error', 'payload_too_large', 'unsupported_media_type'],
  },
  getFullVerification: {
    operationId: 'getFullVerification',
    method: 'GET',
    path: '/api/v1/integrity/verifications/{id}',
    summary: 'A full re-verification and its progress',
    tag: 'Integrity',
    permission: 'integrity:verify',
    success: { status: 200, schema: verificationRunResource, description: 'The run.' },
    errors: ['not_found'],
  },
  eventProof: {
    operationId: 'getEventProof',
    method: 'GET',
    path: '/api/v1/events/{id}/proof',
    summary: 'Prove that an event is in the sealed ledger',
    description:
      'The event with every input of its hash, the Merkle audit path from its leaf to the tree head of the checkpoint that sealed it, and that signed checkpoint — checkable offline with `npm run verify` (docs/formats/evidence-v1.md). An event newer than the last checkpoint is `not_yet_sealed`.',
    tag: 'Evidence',
    permission: 'audit:read',
    success: { status: 200, schema: proofDocumentResource, description: 'The proof.' },
    errors: ['not_found', 'service_unavailable'],
  },
  listCheckpoints: {
    operationId: 'listCheckpoints',
    method: 'GET',
    path: '/api/v1/checkpoints',
    summary: 'The signed ledger checkpoints',
    description:
      'Checkpoints after `after`, in number order. Each seals the events committed since the previous one and chains to it; together they are what the offline verifier checks a checkpoints file against.',
    tag: 'Evidence',
    permission: 'audit:read',
    query: checkpointListQuery,
    success: { status: 200, schema: checkpointPage, description: 'A page of signed checkpoints.' },
    errors: ['validation_error'],
  },
  getCheckpoint: {
    operationId: 'getCheckpoint',
    method: 'GET',
    path: '/api/v1/checkpoints/{number}',
    summary: 'One signed checkpoint',
    tag: 'Evidence',
    permission: 'audit:read',
    success: { status: 200, schema: signedCheckpointResource, description: 'The checkpoint.' },
    errors: ['not_found'],
  },
  publicKey: {
    operationId: 'getCheckpointPublicKey',
    method: 'GET',
    path: '/api/v1/checkpoints/public-key',
    summary: 'The public key checkpoints and statements are signed with',
    description:
      'As a JWK and as PEM. Public on purpose: obtain it once, through a channel you trust, and give it to the verifier.',
    tag: 'Evidence',
    permission: null,
    success: { status: 200, schema: publicKeyResource, description: 'The key.' },
    errors: ['service_unavailable'],
  },
  accountStatement: {
    operationId: 'getAccountStatement',
    method: 'GET',
    path: '/api/v1/accounts/{id}/statement',
    summary: 'A signed account statement',
    description:
      "The account's events over a period (`from` exclusive, `to` inclusive, occurred-at axis) with the balance after each, the opening and closing balances, totals, and every line's inclusion proof in a signed checkpoint; signed as a whole. Verify it offline with `npm run verify -- statement.json`.",
    tag: 'Evidence',
    permission: 'accounts:read',
    query: statementQuery,
    success: { status: 200, schema: signedStatementResource, description: 'The signed statement.' },
    errors: ['validation_error', 'not_found', 'integrity_violation', 'service_unavailable'],
  },
  openDispute: {
    operationId: 'openDispute',
    method: 'POST',
    path: '/api/v1/disputes',
    summary: 'Open a dispute case against a charge',
    description:
      "Opens a case on a charge (a withdrawal or a captured hold). The disputed amount — by default everything still reversible — is reserved on the charge: it can no longer be reversed by hand, and follows the case's outcome. One open case per charge. Due after the policy's days for the reason unless `dueBy` is given.",
    tag: 'Disputes',
    permission: 'disputes:work',
    body: openDisputeInput,
    success: { status: 201, schema: disputeResource, description: 'The new case.', location: true },
    errors: [
      ...CASE_ERRORS,
      'dispute_exists',
      'amount_exceeds_reversible',
      'not_reversible',
      'balance_limit_exceeded',
    ],
  },
  listDisputes: {
    operationId: 'listDisputes',
    method: 'GET',
    path: '/api/v1/disputes',
    summary: 'List dispute cases',
    tag: 'Disputes',
    permission: 'disputes:read',
    query: listDisputesQuery,
    success: { status: 200, schema: disputePage, description: 'A page of cases.' },
    errors: ['validation_error'],
  },
  getDispute: {
    operationId: 'getDispute',
    method: 'GET',
    path: '/api/v1/disputes/{disputeId}',
    summary: 'Get a dispute case',
    tag: 'Disputes',
    permission: 'disputes:read',
    success: { status: 200, schema: disputeResource, description: 'The case, as of now.' },
    errors: ['not_found'],
  },
  assignDispute: caseStep({
    operationId: 'assignDispute',
    path: 'assign',
    summary: 'Assign a case',
    description:
      'Gives the case to an active support user or admin; a new (`open`) case then `needs_response`.',
    body: assignDisputeInput,
  }),
  addDisputeNote: caseStep({
    operationId: 'addDisputeNote',
    path: 'notes',
    summary: 'Add a note to a case',
    description: 'A note is evidence: immutable, staged until the evidence is submitted.',
    body: disputeNoteInput,
  }),
  addDisputeEvidence: {
    ...caseStep({
      operationId: 'addDisputeEvidence',
      path: 'evidence',
      summary: 'Attach an evidence file to a case',
      description:
        "A PDF, PNG or JPEG of at most 5 MiB, as multipart/form-data in the field `file`. The type is checked from the file's bytes. The file is kept by its SHA-256, which the case's event records; immutable once added, staged until submitted.",
    }),
    upload: { field: 'file', description: 'The evidence file: PDF, PNG or JPEG, at most 5 MiB.' },
  },
  submitDisputeEvidence: caseStep({
    operationId: 'submitDisputeEvidence',
    path: 'submit',
    summary: "Submit a case's evidence",
    description:
      'Submits every staged note and file (at least one): the submitted set is fixed and the case is `under_review`.',
  }),
  giveProvisionalCredit: caseStep({
    operationId: 'giveProvisionalCredit',
    path: 'provisional-credit',
    summary: 'Credit the customer provisionally',
    description:
      'Credits the account now, linked to the case (once, at most the disputed amount; by default all of it). Final if the case is won; taken back if it is lost or withdrawn.',
    body: provisionalCreditInput,
    errors: ['amount_exceeds_reversible', 'balance_limit_exceeded'],
  }),
  resolveDispute: caseStep({
    operationId: 'resolveDispute',
    path: 'resolve',
    summary: 'Resolve a case as won or lost',
    description:
      "`won` (the customer won): the disputed amount less any provisional credit is refunded on the charge, and the credit becomes final. `lost`: no refund; the provisional credit is taken back as far as the available funds cover it, and the rest stays on the case as `outstandingAmount`, collected from the account's next incoming funds.",
    body: resolveDisputeInput,
    errors: ['balance_limit_exceeded'],
  }),
  withdrawDispute: caseStep({
    operationId: 'withdrawDispute',
    path: 'withdraw',
    summary: 'Withdraw a case',
    description: 'The customer no longer contests: like `lost`.',
    body: withdrawDisputeInput,
  }),
  writeOffDisputeShortfall: {
    mayNeedApproval: true,
    ...caseStep({
      operationId: 'writeOffDisputeShortfall',
      path: 'write-off',
      summary: "Write off a lost case's outstanding amount",
      description: 'Admins only: the account no longer owes it.',
      permission: 'disputes:write-off',
      body: writeOffInput,
      errors: ['nothing_outstanding'],
    }),
  },
  getDisputePackage: {
    operationId: 'getDisputePackage',
    method: 'GET',
    path: '/api/v1/disputes/{disputeId}/package',
    summary: "Download a case's evidence package (ZIP)",
    description:
      'The case, a proof document for each of its events, its evidence files and a signed statement of the account from the charge on, with inclusion proofs: checkable offline with `npm run verify` (verifier/chronicle-verify.mjs) and the public key.',
    tag: 'Disputes',
    permission: 'disputes:read',
    success: {
      status: 200,
      schema: z.string(),
      description: 'The package.',
      mediaType: 'application/zip',
    },
    errors: ['not_found', 'service_unavailable', 'integrity_violation'],
  },
  listApprovals: {
    operationId: 'listApprovals',
    method: 'GET',
    path: '/api/v1/approvals',
    summary: 'List approval requests',
    description:
      'Newest first. `expired` are pending requests past their expiry; without `status`, every request.',
    tag: 'Approvals',
    permission: 'approvals:read',
    query: approvalListQuery,
    success: { status: 200, schema: approvalPage, description: 'A page of requests.' },
    errors: ['validation_error'],
  },
  getApproval: {
    operationId: 'getApproval',
    method: 'GET',
    path: '/api/v1/approvals/{approvalId}',
    summary: 'Get an approval request',
    tag: 'Approvals',
    permission: 'approvals:read',
    success: { status: 200, schema: approvalResource, description: 'The request, as of now.' },
    errors: ['not_found'],
  },
  approveApproval: {
    operationId: 'approveApproval',
    method: 'POST',
    path: '/api/v1/approvals/{approvalId}/approve',
    summary: 'Approve a request: its command runs now, once',
    description:
      "A different person than the maker (not through the maker's own API key, not under a second user with the same mailbox), with a role the request names. The held command runs in the same transaction as the approval, against the state of this moment: if its rules refuse it now (say `insufficient_funds`), that error is the answer, nothing is recorded and the request stays pending.",
    tag: 'Approvals',
    permission: 'approvals:decide',
    success: {
      status: 200,
      schema: approvalDecisionResult,
      description: 'The approved request and the events recorded.',
    },
    errors: [
      ...MOVEMENT_ERRORS,
      'self_approval_forbidden',
      'approval_not_pending',
      'reversal_exceeds_original',
      'not_reversible',
      'already_frozen',
      'not_frozen',
      'nothing_outstanding',
      'balance_limit_exceeded',
      'forbidden',
    ],
  },
  rejectApproval: {
    operationId: 'rejectApproval',
    method: 'POST',
    path: '/api/v1/approvals/{approvalId}/reject',
    summary: 'Reject a request, with a reason',
    tag: 'Approvals',
    permission: 'approvals:decide',
    body: rejectApprovalInput,
    success: {
      status: 200,
      schema: approvalDecisionResult,
      description: 'The rejected request.',
    },
    errors: [
      'validation_error',
      'not_found',
      'self_approval_forbidden',
      'approval_not_pending',
      'idempotency_key_reused',
      'forbidden',
    ],
  },
  cancelApproval: {
    operationId: 'cancelApproval',
    method: 'POST',
    path: '/api/v1/approvals/{approvalId}/cancel',
    summary: 'Cancel your own request',
    tag: 'Approvals',
    permission: 'approvals:cancel',
    body: cancelApprovalInput,
    success: {
      status: 200,
      schema: approvalDecisionResult,
      description: 'The cancelled request.',
    },
    errors: [
      'validation_error',
      'not_found',
      'approval_not_pending',
      'idempotency_key_reused',
      'forbidden',
    ],
  },
  openApi: {
    operationId: 'getOpenApiDocument',
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'This API description (OpenAPI 3.1)',
    tag: 'Operations',
    permission: null,
    success: {
      status: 200,
      schema: z.object({ openapi: z.literal('3.1.0') }).catchall(z.unknown()),
      description: 'The OpenAPI document.',
    },
    errors: [],
  },
  health: {
    operationId: 'health',
    method: 'GET',
    path: '/api/health',
    summary: 'Health of Chronicle and its database (and Redis, when configured)',
    tag: 'Operations',
    permission: null,
    success: {
      status: 200,
      schema: healthReport,
      description: 'Healthy (503 with the same body when the database is unreachable).',
    },
    errors: [],
  },
} as const satisfies Record<string, ApiOperation>;
