// The vocabulary of four-eyes approvals: which kinds of action can wait for a second person, the
// statuses a request moves through, and who counts as "the same person". Shared by the decider,
// the policy and the edges; imports nothing from the server.

import type { Role } from '../../auth/permissions';

/** Every action a policy may hold for approval: ledger commands and two administrative ones. */
export const APPROVAL_KINDS = [
  'withdraw',
  'transfer',
  'reverse_charge',
  'capture_hold',
  'freeze_account',
  'unfreeze_account',
  'write_off_shortfall',
  'record_correction',
  'grant_admin_role',
  'create_admin_api_key',
] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

export function isApprovalKind(value: unknown): value is ApprovalKind {
  return typeof value === 'string' && (APPROVAL_KINDS as readonly string[]).includes(value);
}

/** Kinds that are not ledger commands: the server carries them out itself once approved. */
export const ADMINISTRATIVE_KINDS = ['grant_admin_role', 'create_admin_api_key'] as const;
export type AdministrativeKind = (typeof ADMINISTRATIVE_KINDS)[number];

export function isAdministrativeKind(kind: string): kind is AdministrativeKind {
  return (ADMINISTRATIVE_KINDS as readonly string[]).includes(kind);
}

/** `expired` is never stored: a pending request past its expiry reads as expired (see statusAt). */
export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export type StoredApprovalStatus = Exclude<ApprovalStatus, 'expired'>;

/**
 * A person behind a request or a decision: the user, reached directly (`user:<id>`) or through an
 * API key they own (`api_key:<id>`). The role is the one the person acted with.
 */
export interface Person {
  readonly actor: string;
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
}

/**
 * The form of an address under which two sign-ins are one mailbox: case-insensitive, and without
 * a `+tag` (alice+second@… reaches alice@…). A second user created with such an address is the
 * same person for the four-eyes rule.
 */
export function mailboxOf(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  const local = trimmed.slice(0, at).split('+')[0];
  return `${local}@${trimmed.slice(at + 1)}`;
}

/** The same user, or two users who share a mailbox. */
export function isSamePerson(
  a: Pick<Person, 'userId' | 'email'>,
  b: Pick<Person, 'userId' | 'email'>,
): boolean {
  if (a.userId === b.userId) return true;
  return a.email.trim() !== '' && mailboxOf(a.email) === mailboxOf(b.email);
}
