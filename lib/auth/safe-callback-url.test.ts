import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_SIGN_IN, afterSignInPath, sameOriginPath } from './safe-callback-url';

const APP = 'http://localhost:3200';

describe('the target after signing in', () => {
  it.each([
    ['/\\evil.example'],
    ['\\/evil.example'],
    ['\\\\evil.example'],
    ['//evil.example'],
    ['///evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    [' //evil.example'],
    ['\u0000//evil.example'],
    ['/.//evil.example'],
    ['https://evil.example'],
    ['https://evil.example/accounts'],
    ['HTTPS://EVIL.EXAMPLE'],
    ['http://localhost:3200@evil.example/'],
    ['https://localhost:3200/accounts'],
    ['http://localhost:3201/accounts'],
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['/login'],
    ['/login?callbackUrl=/login'],
    [''],
  ])('refuses %j and sends people to the accounts list', (value) => {
    expect(afterSignInPath(value, APP)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it.each([
    ['/accounts', '/accounts'],
    ['/audit', '/audit'],
    ['/accounts/acc_1?at=2026-03-15T14:47:00.000Z', '/accounts/acc_1?at=2026-03-15T14:47:00.000Z'],
    ['/audit?type=deposit&from=2026-01-01#results', '/audit?type=deposit&from=2026-01-01#results'],
    ['/events/3f2a?x=%2F%2Fevil.example', '/events/3f2a?x=%2F%2Fevil.example'],
    // Still on this origin: the percent-encoded backslash is a path character, not a separator.
    ['/%5Cevil.example', '/%5Cevil.example'],
    ['%2F%2Fevil.example', '/%2F%2Fevil.example'],
    // Relative paths resolve from the root, as the sign-in page lives there.
    ['accounts', '/accounts'],
    ['../audit?page=2', '/audit?page=2'],
    ['/accounts/../audit', '/audit'],
    // Absolute URLs on Chronicle's own origin (next-auth hands these over) become paths.
    [
      'http://localhost:3200/accounts/acc_1?at=2026-03-15T14:47:00.000Z',
      '/accounts/acc_1?at=2026-03-15T14:47:00.000Z',
    ],
    ['HTTP://LOCALHOST:3200/audit', '/audit'],
  ])('keeps %j on the app as %j', (value, expected) => {
    expect(afterSignInPath(value, APP)).toBe(expected);
  });

  it('lets sign-out go to the sign-in page, but never sign-in (a redirect loop)', () => {
    expect(sameOriginPath('/login', APP)).toBe('/login');
    expect(sameOriginPath('/\\evil.example', APP)).toBeNull();
    expect(afterSignInPath('/login', APP)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(afterSignInPath('http://localhost:3200/login?x=1', APP)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it('refuses values that are not a single string', () => {
    expect(afterSignInPath(undefined, APP)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(afterSignInPath(['/audit', '/accounts'], APP)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it('refuses everything when the app origin itself is unusable', () => {
    expect(afterSignInPath('/audit', 'not a url')).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it('never produces a target that a browser on the app would resolve off-site', () => {
    const pieces = fc.constantFrom(
      '/',
      '\\',
      '//',
      '\t',
      '\n',
      ' ',
      '.',
      '..',
      '%2F',
      '%5C',
      '@',
      ':',
      '?',
      '#',
      'evil.example',
      'http:',
      'https:',
      'javascript:',
      'localhost:3200',
    );
    const values = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(values, (value) => {
        const target = afterSignInPath(value, APP);
        // The browser resolves the answer relative to whichever app page it is on.
        for (const page of [`${APP}/login?callbackUrl=x`, `${APP}/accounts/acc_1`])
          expect(new URL(target, page).origin).toBe(APP);
        expect(target.startsWith('/')).toBe(true);
        expect(target.startsWith('//')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
