// The HTTP API's resources and query parameters, as zod schemas. The OpenAPI document is
// generated from these and from the shared input schemas; the contract tests check every
// response against them.

import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { ADMIN_EVENT_TYPES } from '../admin/admin-events';
import { ROLES } from '../auth/permissions';
import { APPROVAL_KINDS, APPROVAL_STATUSES } from '../ledger/approval/approval-rules';
import { EVENT_TYPES } from '../ledger/events';
import {
  DISPUTE_OUTCOMES,
  DISPUTE_REASON_CODES,
  DISPUTE_STATUSES,
} from '../ledger/dispute/dispute-rules';
import { MAX_INT32, MAX_INT64, hasControlCharacters, isWellFormedText } from '../ledger/limits';
import { utcInstantSchema } from './audit-filters';

const instant = z.iso.datetime({ offset: true }).meta({ example: '2026-03-15T14:47:00.000Z' });
const hash = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: 'Lowercase hex SHA-256 (docs/decisions/002-hash-chain.md).' });

export const accountResource = z.object({
  id: z.string().meta({ example: 'acc_alice_checking' }),
  ownerId: z.string().meta({ example: 'cust_alice_johnson' }),
  currency: z.string().meta({ description: 'ISO 4217 code.', example: 'USD' }),
  balance: z.string().meta({
    description:
      'A decimal string with exactly the currency\'s minor digits and no grouping: "105.00" USD, "5" JPY, "1.250" BHD.',
    example: '105.00',
  }),
  availableBalance: z.string().meta({
    description:
      'What may leave the account: the balance less what active holds reserve and what it owes (`owedBalance`), never below 0. Withdrawals, outgoing transfers and new holds are checked against it.',
    example: '80.00',
  }),
  heldBalance: z.string().meta({
    description: 'What active holds reserve (a hold stops reserving exactly at its expiry).',
    example: '25.00',
  }),
  owedBalance: z.string().meta({
    description:
      'Provisional credit lost dispute cases could not take back: owed by the account, not available, and paid off first from its next incoming funds.',
    example: '0.00',
  }),
  frozen: z.boolean(),
  version: z
    .int()
    .min(0)
    .meta({ description: 'How many events the account has; use it as If-Match.' }),
  openedAt: instant,
});

export const HOLD_STATUSES = ['active', 'captured', 'released', 'expired'] as const;

export const holdResource = z.object({
  id: z.uuid(),
  accountId: z.string(),
  currency: z.string().meta({ description: "ISO 4217 code, the account's.", example: 'USD' }),
  amount: z.string().meta({ description: 'What the hold reserved when placed.', example: '25.00' }),
  capturedAmount: z.string().meta({ description: 'What has been captured of it so far.' }),
  remainingAmount: z.string().meta({
    description: 'What it still reserves now: 0 once captured in full, released or expired.',
  }),
  status: z.enum(HOLD_STATUSES).meta({
    description:
      'As of now: an active hold past its `expiresAt` is `expired`, even before the expiry is recorded.',
  }),
  reason: z.string(),
  reference: z.string(),
  expiresAt: instant.nullable(),
  createdAt: instant.meta({ description: 'When the hold was placed.' }),
});

/** A hold as it stood at an instant (in `?at=` answers): what it reserved then. */
const holdAtResource = z.object({
  id: z.uuid(),
  amount: z.string(),
  remainingAmount: z.string().meta({ description: 'What it reserved at that instant.' }),
  reason: z.string(),
  reference: z.string(),
  expiresAt: instant.nullable(),
  createdAt: instant,
});

export const accountAsOfResource = accountResource.extend({
  asOf: instant.meta({ description: 'The instant asked for (on the effective-time axis).' }),
  knownAt: instant
    .nullable()
    .meta({ description: 'Only what had been recorded by then was used; null: as known now.' }),
  correctionsAmount: z.string().meta({
    description: 'How much of the balance is backdated corrections (in effect and known).',
  }),
  lastEventId: z.uuid().meta({ description: 'The last event applied at that instant.' }),
  holds: z
    .array(holdAtResource)
    .meta({ description: 'The holds that reserved funds at that instant, oldest first.' }),
});

export const eventResource = z.object({
  id: z.uuid(),
  streamId: z.string().meta({ example: 'account-acc_alice_checking' }),
  version: z.int().min(1),
  position: z
    .string()
    .regex(/^\d+$/)
    .meta({ description: 'Global position, as a string (it can exceed 2^53).' }),
  type: z.enum([...EVENT_TYPES, ...ADMIN_EVENT_TYPES]),
  data: z.record(z.string(), z.unknown()).meta({
    description:
      'The event exactly as stored and hashed. Amounts in it are strings of minor units (amountMinor).',
  }),
  metadata: z
    .object({ actor: z.string(), correlationId: z.string(), causationId: z.string().optional() })
    .catchall(z.unknown())
    .meta({
      description: 'Who caused the event and how it relates to others; stored and hashed with it.',
    }),
  occurredAt: instant.meta({ description: 'When the movement took effect.' }),
  recordedAt: instant.meta({ description: 'When the database recorded it.' }),
  hash,
  prevHash: hash,
});

export const accountPage = z.object({
  items: z.array(accountResource),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
});

export const accountEventPage = z.object({
  items: z.array(eventResource),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `afterVersion` for the next page; null when there is no more.' }),
});

export const eventFeedPage = z.object({
  items: z.array(eventResource),
  next: z.string().regex(/^\d+$/).meta({
    description: 'Pass as `after` to continue; equal to `after` when nothing new was committed.',
  }),
});

export const movementResult = z.object({
  events: z.array(eventResource),
  account: accountResource,
});
/** The answer to placing, capturing or releasing a hold: its events, the hold and its account after. */
export const holdResult = z.object({
  events: z.array(eventResource),
  hold: holdResource,
  account: accountResource,
});

export const holdPage = z.object({
  items: z.array(holdResource),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
});

const disputeEvidenceResource = z.object({
  id: z.string(),
  kind: z.enum(['note', 'file']),
  text: z.string().optional().meta({ description: "A note's text." }),
  fileName: z.string().optional(),
  contentType: z.string().optional().meta({ example: 'application/pdf' }),
  sizeBytes: z.int().optional(),
  sha256: hash.optional().meta({ description: 'SHA-256 of the file, as recorded in its event.' }),
  submitted: z.boolean().meta({ description: 'Part of the submitted set (fixed once submitted).' }),
  addedAt: instant,
});

export const disputeResource = z.object({
  id: z.string(),
  accountId: z.string(),
  chargeEventId: z.string(),
  currency: z.string().meta({ example: 'USD' }),
  amount: z.string().meta({ description: 'The disputed amount.', example: '42.00' }),
  reasonCode: z.enum(DISPUTE_REASON_CODES),
  description: z.string(),
  status: z.enum(DISPUTE_STATUSES),
  assigneeId: z.string().nullable(),
  dueBy: instant,
  overdue: z.boolean().meta({
    description:
      'Still owing a response (`open` or `needs_response`) past its due date, as of now; submitting the evidence meets the deadline.',
  }),
  provisionalCredit: z
    .string()
    .meta({ description: 'Provisional credit given to the customer ("0.00" when none).' }),
  refundedAmount: z
    .string()
    .meta({ description: 'Refunded when won: the amount less the provisional credit.' }),
  clawedBackAmount: z
    .string()
    .meta({ description: 'Provisional credit taken back when lost or withdrawn.' }),
  outstandingAmount: z.string().meta({
    description:
      'Provisional credit the account still owes: collected from its next incoming funds, or written off.',
  }),
  writtenOffAmount: z.string(),
  outcome: z.enum(DISPUTE_OUTCOMES).nullable(),
  resolutionNote: z.string(),
  resolvedAt: instant.nullable(),
  submittedAt: instant.nullable(),
  evidence: z.array(disputeEvidenceResource),
  version: z.int().min(1).meta({ description: 'Events on the case; use it as If-Match.' }),
  createdAt: instant,
  updatedAt: instant,
});

export const disputePage = z.object({
  items: z.array(disputeResource),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
});

const approvalPerson = z.object({
  actor: z.string().meta({ example: 'user:0195…' }),
  userId: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
});

export const approvalResource = z.object({
  id: z.uuid(),
  kind: z.enum(APPROVAL_KINDS),
  status: z.enum(APPROVAL_STATUSES).meta({
    description: '`expired`: still pending past `expiresAt`; it can no longer be decided.',
  }),
  summary: z.string().meta({ example: 'Withdraw 12,000.00 USD from acc_alice_checking' }),
  command: z.record(z.string(), z.unknown()).meta({
    description: 'The exact command that runs, once, when the request is approved.',
  }),
  subject: z.string(),
  amount: z.string().nullable().meta({ description: 'What it moves, in `currency`.' }),
  currency: z.string(),
  preview: z
    .array(
      z.object({
        accountId: z.string(),
        currency: z.string(),
        balanceBefore: z.string(),
        balanceAfter: z.string(),
        availableBefore: z.string(),
        availableAfter: z.string(),
        statusBefore: z.string(),
        statusAfter: z.string(),
      }),
    )
    .meta({ description: "Each account's figures before → after, as of the request." }),
  maker: approvalPerson,
  approverRoles: z.array(z.enum(ROLES)),
  requestedAt: instant,
  expiresAt: instant,
  decidedBy: approvalPerson.nullable(),
  decidedAt: instant.nullable(),
  reason: z.string(),
  version: z.int().min(1),
});

export const approvalPage = z.object({ items: z.array(approvalResource) });

export const approvalDecisionResult = z.object({
  approval: approvalResource,
  events: z.array(eventResource).meta({
    description: "Everything recorded: the decision and, on approval, the command's own events.",
  }),
});

export const transferResult = z.object({
  events: z.array(eventResource),
  from: accountResource,
  to: accountResource,
});

const integrityProblem = z.object({
  reason: z.enum([
    'hash_mismatch',
    'prev_hash_mismatch',
    'version_gap',
    'head_mismatch',
    'verified_event_changed',
    'projection_mismatch',
    'unrecorded_stream',
    'checkpoint_invalid',
    'checkpoint_changed',
    'sealed_event_changed',
    'sealed_event_deleted',
    'sealed_event_inserted',
    'sealed_events_reordered',
  ]),
  streamId: z.string().meta({
    description: 'The stream concerned; `checkpoints` for a problem with a checkpoint itself.',
  }),
  streamVersion: z
    .int()
    .meta({ description: 'Its version (a checkpoint number under `checkpoints`).' }),
  eventId: z.uuid().optional(),
  position: z.string().optional(),
  checkpoint: z
    .int()
    .optional()
    .meta({ description: 'The signed checkpoint the problem was found against.' }),
  detail: z.string(),
});

export const verificationRunResource = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  requestedBy: z.string(),
  requestedAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  totalEvents: z.int().nullable(),
  checkedEvents: z.int(),
  ok: z.boolean().nullable().meta({ description: 'Null until the run has succeeded.' }),
});

export const integrityReport = z.object({
  ok: z.boolean().meta({
    description:
      'True when no problem has been found in what was verified and the answer is current (not stale).',
  }),
  stale: z.boolean().meta({
    description:
      'True when the background verifier has not finished a pass in the last 5 minutes (or never has): the answer may be out of date.',
  }),
  checkedEvents: z
    .int()
    .min(0)
    .meta({ description: 'Events verified so far by the background verifier.' }),
  verifiedThrough: z.string().meta({
    description:
      'The global position verified through, in commit-safe order. Later events are not verified yet.',
  }),
  verifiedAt: instant.nullable().meta({ description: 'When the verifier last finished a pass.' }),
  pendingEvents: z.int().min(0).meta({
    description: 'Committed events not verified yet (counted up to 100,000).',
  }),
  firstBroken: integrityProblem.optional(),
  problems: z.array(integrityProblem),
  lastFullVerification: verificationRunResource.nullable(),
  checkpoints: z
    .object({
      state: z.enum(['ok', 'behind', 'not_configured']),
      keyId: z.string().nullable(),
      latest: z
        .object({ number: z.int(), sealedAt: instant, throughPosition: z.string() })
        .nullable(),
      verifiedThrough: z.int().meta({
        description:
          'The last signed checkpoint (from the sink outside the database) the database was checked against.',
      }),
      unsealedEvents: z.int().min(0).meta({
        description:
          'Committed events newer than the last checkpoint: not yet sealed (up to 100,000).',
      }),
      oldestUnsealedAt: instant.nullable(),
      sinks: z.array(
        z.object({
          name: z.string(),
          writtenThrough: z.int(),
          lastWrittenAt: instant.nullable(),
          lastError: z.string().nullable(),
        }),
      ),
    })
    .meta({
      description:
        'Signed checkpoints: sealing, the sinks outside the database, and how far they were checked.',
    }),
});

const adminState = z
  .record(z.string(), z.union([z.string(), z.boolean(), z.null()]))
  .meta({ description: 'The fields the action changed, e.g. { "role": "admin" }.' });

export const adminActionResource = z.object({
  id: z.uuid().meta({ description: 'The id of the event recording the action.' }),
  type: z.enum(ADMIN_EVENT_TYPES),
  actor: z.string().meta({
    description: 'Who did it: `user:<id>` of an admin, or `system:cli` for the command-line tools.',
  }),
  subject: z.object({
    kind: z.enum(['user', 'api_key']),
    id: z.string(),
    label: z.string().meta({ description: "The user's email or the key's name." }),
  }),
  before: adminState.nullable().meta({ description: 'Null for a creation.' }),
  after: adminState,
  occurredAt: instant,
  position: z.string().regex(/^\d+$/),
});

export const adminActionPage = z.object({
  items: z.array(adminActionResource),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `before` for older actions; null when there are none.' }),
});

export const problemResource = z.object({
  type: z.string().meta({ example: 'urn:chronicle:problem:insufficient_funds' }),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.enum(
    Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...Array<keyof typeof ERROR_CODES>],
  ),
  errors: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'Field → message, for validation errors.' }),
  requestId: z.string(),
});

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const digits = z.string().regex(/^\d+$/);
const canonicalInstantText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
  .meta({ description: 'RFC 3339 UTC with six fractional digits.' });

export const publicKeyJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().meta({ description: 'The 32-byte public key, base64url.' }),
  kid: z.string().meta({ description: 'Key id: the first 16 hex digits of SHA-256 over the key.' }),
});

export const signedCheckpointResource = z
  .object({
    checkpoint: z.object({
      format: z.literal('chronicle.checkpoint.v1'),
      number: z.int().min(1),
      previousHash: hex64,
      through: z.object({ transactionId: digits, globalPosition: digits }),
      eventCount: z.int().min(1),
      merkleRoot: hex64,
      streamHeads: z.array(z.object({ streamId: z.string(), version: z.int(), hash: hex64 })),
      sealedAt: canonicalInstantText,
      keyId: z.string(),
    }),
    hash: hex64,
    signature: z
      .string()
      .meta({ description: 'Ed25519 over the canonical JSON of `checkpoint`, base64.' }),
  })
  .meta({ description: 'A signed checkpoint (docs/formats/evidence-v1.md §5).' });

export const checkpointPage = z.object({
  items: z.array(signedCheckpointResource),
  next: z.int().min(0).meta({ description: 'Pass as `after` for the next page.' }),
});

export const publicKeyResource = z.object({
  keyId: z.string(),
  jwk: publicKeyJwk,
  pem: z.string().meta({ description: 'The same key as an SPKI PEM.' }),
});

const evidenceEvent = z.object({
  eventId: z.uuid(),
  streamId: z.string(),
  streamVersion: z.int().min(1),
  type: z.string(),
  schemaVersion: z.int(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  occurredAt: canonicalInstantText,
  prevHash: hex64,
  hash: hex64,
  globalPosition: digits,
  recordedAt: canonicalInstantText,
});

const inclusionProof = z.object({
  checkpoint: z.int().min(1),
  leafIndex: z.int().min(0),
  treeSize: z.int().min(1),
  path: z.array(hex64),
});

export const proofDocumentResource = z
  .object({
    format: z.literal('chronicle.proof.v1'),
    event: evidenceEvent,
    status: z.enum(['sealed', 'not_yet_sealed']),
    proof: inclusionProof.nullable(),
    checkpoint: signedCheckpointResource.nullable(),
    publicKey: publicKeyJwk,
  })
  .meta({ description: 'An inclusion proof (docs/formats/evidence-v1.md §6).' });

const statementLine = z.object({
  event: evidenceEvent,
  amountDeltaMinor: z.string().regex(/^-?\d+$/),
  balanceAfterMinor: digits,
  proof: inclusionProof.nullable(),
});

export const signedStatementResource = z
  .object({
    statement: z.object({
      format: z.literal('chronicle.statement.v1'),
      account: z.object({
        id: z.string(),
        ownerId: z.string(),
        currency: z.string(),
        currencyExponent: z.int(),
      }),
      from: canonicalInstantText,
      to: canonicalInstantText,
      knownAt: canonicalInstantText.nullable().meta({
        description:
          'Only what had been recorded by this instant; null: as recorded when generated.',
      }),
      openingBalanceMinor: digits,
      closingBalanceMinor: digits,
      totals: z.object({ creditsMinor: digits, debitsMinor: digits }),
      effective: z
        .object({
          openingBalanceMinor: digits,
          closingBalanceMinor: digits,
          laterCorrections: z.array(statementLine),
        })
        .meta({
          description:
            'The period by effective time: the balances at `from` and `to` with backdated corrections counted at their effective instant (as known at `knownAt`, or now), and the corrections recorded after `to` that took effect at or before it.',
        }),
      anchor: statementLine.nullable(),
      lines: z.array(statementLine),
      checkpoints: z.array(signedCheckpointResource),
      generatedAt: canonicalInstantText,
      keyId: z.string(),
      publicKey: publicKeyJwk,
    }),
    signature: z
      .string()
      .meta({ description: 'Ed25519 over the canonical JSON of `statement`, base64.' }),
  })
  .meta({ description: 'A signed account statement (docs/formats/evidence-v1.md §7).' });

export const healthReport = z.object({
  status: z.enum(['ok', 'degraded', 'unavailable']),
  database: z.enum(['ok', 'unavailable', 'not_configured']),
  redis: z.enum(['ok', 'unavailable', 'not_configured']),
  checkpoints: z.enum(['ok', 'behind', 'not_configured', 'unavailable']).meta({
    description:
      'Signed checkpoints: `behind` when a sink outside the database fails or events wait too long to be sealed; `not_configured` without a signing key.',
  }),
  replicas: z
    .object({
      configured: z.number().int(),
      healthy: z.number().int(),
      maxLagBytes: z.number().int().nullable(),
    })
    .optional()
    .meta({
      description:
        'Only with DATABASE_REPLICA_URL: how many replicas serve heavy reads now (the others are down or too far behind, and their reads go to the primary), and the largest replay lag among them in bytes of WAL.',
    }),
});

const limit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'limit must be a whole number.' })
    .int('limit must be a whole number.')
    .min(1)
    .max(max)
    .default(fallback);

/** Free text in a query parameter: bounded, valid Unicode, and without control characters. */
const queryText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .refine(isWellFormedText, 'This is not valid Unicode text.')
    .refine((value) => !hasControlCharacters(value), 'This contains control characters.');

export const listAccountsQuery = z.object({
  ownerId: queryText(128).optional(),
  cursor: queryText(200).optional(),
  limit: limit(100, 50),
});

export const listHoldsQuery = z.object({
  status: z
    .enum(HOLD_STATUSES, { error: 'status is one of active, captured, released, expired.' })
    .optional()
    .meta({ description: 'Only holds with this status (as of now).' }),
  cursor: queryText(200).optional(),
  limit: limit(100, 50),
});

const flag = z
  .enum(['true', 'false'], { error: 'Use true or false.' })
  .transform((value) => value === 'true');

export const listDisputesQuery = z.object({
  status: z.enum(DISPUTE_STATUSES).optional(),
  reasonCode: z.enum(DISPUTE_REASON_CODES).optional(),
  accountId: queryText(64).optional(),
  assignee: z
    .string()
    .regex(
      /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|none)$/i,
      'The assignee is a user id, or "none".',
    )
    .optional()
    .meta({ description: 'A user id, or `none` for cases nobody owns.' }),
  overdue: flag.optional().meta({ description: '`true`: only overdue cases; `false`: none.' }),
  sort: z
    .enum(['newest', 'urgent'])
    .default('newest')
    .meta({ description: '`newest` first (default), or `urgent`: soonest due first.' }),
  cursor: queryText(200).optional(),
  limit: limit(100, 50),
});
export type ListDisputesQuery = z.infer<typeof listDisputesQuery>;

/** The second time axis: only what had been recorded by this instant. */
export const knownAtParameter = utcInstantSchema.optional().meta({
  description:
    'Use only what Chronicle had recorded by this instant (default: now): earlier than a backdated correction was recorded, the answer is as if the correction did not exist — "what did Chronicle say then".',
});

export const accountAtQuery = z.object({
  at: utcInstantSchema.optional().meta({
    description:
      'An ISO 8601 instant (effective time); answers with the account as it stood then, backdated corrections effective by then included.',
  }),
  knownAt: knownAtParameter,
});

export const accountEventsQuery = z.object({
  afterVersion: z.coerce
    .number({ error: 'afterVersion must be a whole number.' })
    .int('afterVersion must be a whole number.')
    .min(0, 'afterVersion cannot be negative.')
    .max(MAX_INT32, `afterVersion is at most ${MAX_INT32}.`)
    .default(0),
  limit: limit(500, 100),
  at: utcInstantSchema.optional().meta({
    description:
      'Only the events in effect by this instant (a correction by its effectiveAt, others by occurredAt).',
  }),
  knownAt: knownAtParameter,
});

export const eventFeedQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,19}$/, 'after must be a global position (digits).')
    .refine(
      // zod runs this check even when the pattern above failed: BigInt only sees digits.
      (value) => !/^\d+$/.test(value) || BigInt(value) <= MAX_INT64,
      `after is at most ${MAX_INT64}.`,
    )
    .default('0')
    .meta({ description: 'The position of the last event you processed; 0 for the beginning.' }),
  limit: limit(1000, 100),
});

export const checkpointListQuery = z.object({
  after: z.coerce
    .number({ error: 'after must be a checkpoint number.' })
    .int('after must be a whole number.')
    .min(0)
    .max(MAX_INT32)
    .default(0)
    .meta({ description: 'The last checkpoint number you hold; 0 for the beginning.' }),
  limit: limit(100, 50),
});

export const statementQuery = z.object({
  from: utcInstantSchema.meta({
    description: 'The start of the period (exclusive): the opening balance is the balance then.',
  }),
  to: utcInstantSchema
    .optional()
    .meta({ description: 'The end of the period (inclusive); now when absent.' }),
  knownAt: knownAtParameter,
});

export const adminActionsQuery = z.object({
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'before must be a position this list returned.')
    .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= MAX_INT64, 'before is too large.')
    .optional(),
  limit: limit(200, 50),
});
