import { describe, expect, it } from 'vitest';
import { canonicalInstant, canonicalJson, eventHash, GENESIS_HASH } from './hash-chain';

describe('hash chain encoding', () => {
  it('sorts keys, drops whitespace and refuses non-integer numbers', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'é"'], c: { z: 'x', y: 2 } })).toBe(
      '{"a":[true,null,"é\\""],"b":1,"c":{"y":2,"z":"x"}}',
    );
    expect(() => canonicalJson({ amount: 1.5 })).toThrow(/safe integer/);
    expect(() => canonicalJson({ amount: 10n })).toThrow(/bigint/);
  });

  it('writes instants with six fractional digits in UTC', () => {
    expect(canonicalInstant(new Date('2026-03-15T14:47:00.123Z'))).toBe(
      '2026-03-15T14:47:00.123000Z',
    );
  });

  it('matches the documented example', () => {
    // The same example appears in docs/decisions/002-hash-chain.md for auditors to reproduce.
    const hash = eventHash({
      eventId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      streamId: 'account-acc_demo',
      streamVersion: 1,
      type: 'account_opened',
      schemaVersion: 1,
      data: { accountId: 'acc_demo', ownerId: 'cust_1', currency: 'USD' },
      metadata: { actor: 'system:docs', correlationId: '0195a1b2-c3d4-7e5f-8a9b-000000000001' },
      occurredAt: new Date('2026-03-15T14:47:00.000Z'),
      prevHash: GENESIS_HASH,
    });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(DOCUMENTED_EXAMPLE_HASH);
  });
});

const DOCUMENTED_EXAMPLE_HASH = '541dfe1fe4cf4258aaca648264a44c4f17d22be74dbe29fd8b76a52cdb37137e';
