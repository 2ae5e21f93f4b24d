import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, can } from './permissions';

describe('the permission matrix', () => {
  it('never lets an auditor move money or change an account', () => {
    const mutations = Object.keys(PERMISSIONS).filter(
      (permission) => !/:(read|export|verify)$/.test(permission),
    );
    expect(mutations.length).toBeGreaterThan(0);
    for (const permission of mutations)
      expect(can('auditor', permission as keyof typeof PERMISSIONS)).toBe(false);
  });

  it('keeps freezing and user management for admins', () => {
    for (const permission of [
      'accounts:freeze',
      'accounts:unfreeze',
      'users:manage',
      'api-keys:manage',
    ] as const) {
      expect(ROLES.filter((role) => can(role, permission))).toEqual(['admin']);
    }
  });

  it('lets support staff post every money movement', () => {
    for (const permission of [
      'accounts:open',
      'funds:deposit',
      'funds:withdraw',
      'funds:transfer',
      'charges:reverse',
    ] as const) {
      expect(can('support', permission)).toBe(true);
    }
  });

  it('lets every role read', () => {
    for (const role of ROLES)
      expect(can(role, 'accounts:read') && can(role, 'audit:read')).toBe(true);
  });
});
