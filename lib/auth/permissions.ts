// Who may do what: the one permission matrix. Every server action and route handler checks it
// itself (lib/server/auth/require-permission.ts); the UI reads it only to hide what a role cannot
// use. Shared by server and client code, so it imports nothing.

export const ROLES = ['admin', 'support', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'accounts:read': ['admin', 'support', 'auditor'],
  'accounts:open': ['admin', 'support'],
  'funds:deposit': ['admin', 'support'],
  'funds:withdraw': ['admin', 'support'],
  'funds:transfer': ['admin', 'support'],
  'charges:reverse': ['admin', 'support'],
  'holds:place': ['admin', 'support'],
  'holds:capture': ['admin', 'support'],
  'holds:release': ['admin', 'support'],
  'disputes:read': ['admin', 'support', 'auditor'],
  'disputes:work': ['admin', 'support'],
  'disputes:write-off': ['admin'],
  'approvals:read': ['admin', 'support', 'auditor'],
  'approvals:decide': ['admin', 'support'],
  'approvals:cancel': ['admin', 'support'],
  'accounts:freeze': ['admin'],
  'accounts:correct': ['admin'],
  'accounts:unfreeze': ['admin'],
  'audit:read': ['admin', 'support', 'auditor'],
  'audit:export': ['admin', 'auditor'],
  'integrity:verify': ['admin', 'support', 'auditor'],
  'integrity:reverify': ['admin'],
  'security:read': ['admin', 'auditor'],
  'users:manage': ['admin'],
  'api-keys:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  support: 'Support',
  auditor: 'Auditor',
};
