import { describe, expect, it } from 'vitest';
import {
  API_CONTENT_SECURITY_POLICY,
  newNonce,
  pageContentSecurityPolicy,
  securityHeaders,
} from './security-headers';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split('; ').map((part) => {
      const [name, ...sources] = part.split(' ');
      return [name as string, sources];
    }),
  );
}

describe('the page Content Security Policy', () => {
  it('lets only scripts with this response’s nonce run, and nothing from other origins', () => {
    const policy = directives(
      pageContentSecurityPolicy({ nonce: 'abc123==', isDevelopment: false, isHttps: false }),
    );
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
    const sources = [...policy.values()].flat();
    expect(sources.filter((source) => /^(https?:|\*|'unsafe-eval')/.test(source))).toEqual([]);
  });

  it('allows eval and inline styles only under `next dev`', () => {
    const policy = directives(
      pageContentSecurityPolicy({ nonce: 'n', isDevelopment: true, isHttps: false }),
    );
    expect(policy.get('script-src')).toContain("'unsafe-eval'");
    expect(policy.get('style-src')).toContain("'unsafe-inline'");
  });

  it('upgrades stray http:// requests when the app is served over HTTPS', () => {
    const policy = directives(
      pageContentSecurityPolicy({ nonce: 'n', isDevelopment: false, isHttps: true }),
    );
    expect(policy.get('upgrade-insecure-requests')).toEqual([]);
  });
});

describe('the other security headers', () => {
  it('forbid framing and sniffing, and send HSTS only for an HTTPS app', () => {
    const plain = securityHeaders({ isHttps: false });
    expect(plain['X-Frame-Options']).toBe('DENY');
    expect(plain['X-Content-Type-Options']).toBe('nosniff');
    expect(plain['Referrer-Policy']).toBe('same-origin');
    expect(plain['Permissions-Policy']).toContain('camera=()');
    expect(plain['Strict-Transport-Security']).toBeUndefined();
    expect(securityHeaders({ isHttps: true })['Strict-Transport-Security']).toBe(
      'max-age=63072000; includeSubDomains',
    );
  });

  it('give API answers a policy that allows nothing', () => {
    expect(directives(API_CONTENT_SECURITY_POLICY).get('default-src')).toEqual(["'none'"]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('nonces', () => {
  it('are 128 random bits, different every time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => newNonce()));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
