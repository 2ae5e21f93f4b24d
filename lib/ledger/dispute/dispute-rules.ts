// The rules of a dispute case that are data rather than code: its reason codes, its statuses and
// the one table of allowed transitions the decider enforces, the default time to respond per
// reason, and what evidence files may be. Shared by the decider, the API schemas and the UI.

export const DISPUTE_REASON_CODES = [
  'fraudulent',
  'duplicate',
  'product_not_received',
  'product_unacceptable',
  'unrecognized',
  'credit_not_processed',
  'general',
] as const;
export type DisputeReasonCode = (typeof DISPUTE_REASON_CODES)[number];

export const DISPUTE_STATUSES = [
  'open',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'withdrawn',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** How a case ends. `won` means the customer won: the charge is refunded. */
export const DISPUTE_OUTCOMES = ['won', 'lost', 'withdrawn'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/**
 * Every status a case may move to from each status: the only place transitions are defined.
 * `open` is a new case nobody owns; assigning it means someone must respond (`needs_response`);
 * submitting its evidence puts it `under_review`; any unresolved case can be won, lost or withdrawn.
 */
export const DISPUTE_TRANSITIONS: { readonly [S in DisputeStatus]: readonly DisputeStatus[] } = {
  open: ['needs_response', 'under_review', 'won', 'lost', 'withdrawn'],
  needs_response: ['under_review', 'won', 'lost', 'withdrawn'],
  under_review: ['won', 'lost', 'withdrawn'],
  won: [],
  lost: [],
  withdrawn: [],
};

export function canMove(from: DisputeStatus, to: DisputeStatus): boolean {
  return DISPUTE_TRANSITIONS[from].includes(to);
}

/**
 * Whether notes and files may still be added: only until the evidence is submitted (the case
 * goes under review), after which the submitted set is fixed and nothing could be submitted again.
 */
export function acceptsEvidence(status: DisputeStatus): boolean {
  return canMove(status, 'under_review');
}

/** Statuses in which the case still owes a response: its due date is a deadline for these. */
export const AWAITING_RESPONSE: readonly DisputeStatus[] = ['open', 'needs_response'];

export function isResolved(status: DisputeStatus): boolean {
  return DISPUTE_TRANSITIONS[status].length === 0;
}

/** Days a case has to be answered, by reason, unless the case names its own due date. */
export type DueDaysPolicy = { readonly [R in DisputeReasonCode]: number };

export const DEFAULT_DUE_DAYS: DueDaysPolicy = {
  fraudulent: 30,
  duplicate: 14,
  product_not_received: 30,
  product_unacceptable: 30,
  unrecognized: 21,
  credit_not_processed: 14,
  general: 21,
};

/** The latest a due date may be set: a year ahead. */
export const MAX_DUE_DAYS = 365;
export const DESCRIPTION_MAX_LENGTH = 2000;
export const NOTE_MAX_LENGTH = 5000;
export const FILE_NAME_MAX_LENGTH = 200;

/** Evidence files: what card networks accept, and at most 5 MiB each. */
export const EVIDENCE_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
/** All of a case's files together: what its evidence package may carry. */
export const CASE_EVIDENCE_MAX_BYTES = 25 * 1024 * 1024;

/** The content type a file's first bytes prove, if it is one evidence may be. */
export function sniffEvidenceType(bytes: Uint8Array): EvidenceContentType | null {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return null;
}

export const DISPUTE_REASON_LABELS: { readonly [R in DisputeReasonCode]: string } = {
  fraudulent: 'Fraudulent',
  duplicate: 'Duplicate',
  product_not_received: 'Product not received',
  product_unacceptable: 'Product unacceptable',
  unrecognized: 'Unrecognized',
  credit_not_processed: 'Credit not processed',
  general: 'General',
};

export const DISPUTE_STATUS_LABELS: { readonly [S in DisputeStatus]: string } = {
  open: 'Open',
  needs_response: 'Needs response',
  under_review: 'Under review',
  won: 'Won',
  lost: 'Lost',
  withdrawn: 'Withdrawn',
};
