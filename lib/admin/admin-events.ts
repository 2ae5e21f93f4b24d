// The trail of administrative actions: who created a user, changed a role, disabled or enabled
// someone, created or revoked an API key — and what it was before and after. Each action is an
// event in the subject's own stream (`user-<id>`, `api_key-<id>`), so it has every guarantee the
// ledger's events have: append-only, hash-chained, in the global feed, checked by the integrity
// verifier. Pure: shared by the server and the back office's labels.

import { z } from 'zod';

export const ADMIN_EVENT_TYPES = [
  'user_created',
  'user_role_changed',
  'user_disabled',
  'user_enabled',
  'api_key_created',
  'api_key_revoked',
] as const;

export type AdminEventType = (typeof ADMIN_EVENT_TYPES)[number];

export type AdminSubjectKind = 'user' | 'api_key';

/** Which kind of subject each action is about. */
export const SUBJECT_KIND_OF: Record<AdminEventType, AdminSubjectKind> = {
  user_created: 'user',
  user_role_changed: 'user',
  user_disabled: 'user',
  user_enabled: 'user',
  api_key_created: 'api_key',
  api_key_revoked: 'api_key',
};

const state = z.record(z.string(), z.union([z.string(), z.boolean(), z.null()]));

export const adminEventDataSchema = z.strictObject({
  subject: z.strictObject({
    kind: z.enum(['user', 'api_key']),
    id: z.string(),
    /** An email or a key's name: what a reader recognises. */
    label: z.string(),
  }),
  /** The fields the action changed, before it; null for a creation. */
  before: state.nullable(),
  after: state,
});

export type AdminEventData = z.infer<typeof adminEventDataSchema>;

export function isAdminEventType(type: string): type is AdminEventType {
  return (ADMIN_EVENT_TYPES as readonly string[]).includes(type);
}

/** The stream an administrative subject's events live in. */
export function adminStreamId(kind: AdminSubjectKind, id: string): string {
  return `${kind}-${id}`;
}

/** "role: support → admin; disabled: false → true": a change in one line, for lists and CSV. */
export function describeAdminChange(data: AdminEventData): string {
  const fields = Object.keys(data.after);
  return fields
    .map((field) => {
      const after = String(data.after[field]);
      return data.before
        ? `${field}: ${String(data.before[field])} → ${after}`
        : `${field}: ${after}`;
    })
    .join('; ');
}
