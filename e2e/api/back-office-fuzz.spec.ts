// Property-based fuzzing of the back office's own routes under /api (everything outside API v1,
// which fuzz.spec.ts covers): the time-travel reads, the statement, the audit export, dispute
// evidence and packages and the live-update stream, over real HTTP with a signed-in session.
// Whatever path, query or body is sent, the answer is never a 5xx, and a refused request writes
// nothing.

import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { addDisputeNote } from '../../lib/server/disputes/add-dispute-note';
import { openDispute } from '../../lib/server/disputes/open-dispute';
import { chargeAccount, createAccount, createTestUser, signIn } from '../support/ledger';
import { encodeComponent, headerText, hostileText, ledgerCounts } from './fuzz-support';

interface BackOfficeRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query: readonly string[];
}

const ROUTES: readonly BackOfficeRoute[] = [
  { method: 'GET', path: '/api/accounts/{id}/as-of', query: ['at', 'knownAt', 'step'] },
  { method: 'GET', path: '/api/accounts/{id}/timeline', query: ['before', 'knownAt'] },
  { method: 'GET', path: '/api/accounts/{id}/balance-history', query: ['at', 'window'] },
  { method: 'GET', path: '/api/accounts/{id}/statement', query: ['from', 'to', 'knownAt'] },
  {
    method: 'GET',
    path: '/api/audit/export',
    query: ['account', 'type', 'actor', 'from', 'to', 'at', 'knownAt'],
  },
  { method: 'GET', path: '/api/disputes/{id}/evidence/{evidenceId}', query: ['download'] },
  { method: 'GET', path: '/api/disputes/{id}/package', query: [] },
  { method: 'POST', path: '/api/disputes/{id}/evidence', query: [] },
  { method: 'GET', path: '/api/events/stream', query: ['after', 'account', 'dispute', 'disputes'] },
];

interface Fixture {
  accountId: string;
  disputeId: string;
  evidenceId: string;
}

function requestFor(route: BackOfficeRoute, fixture: Fixture) {
  const pathParam = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(fixture.accountId, fixture.disputeId) },
    { weight: 1, arbitrary: fc.constant(fixture.evidenceId) },
    { weight: 3, arbitrary: hostileText },
  );
  return fc.record({
    path: fc
      .array(pathParam, { minLength: 2, maxLength: 2 })
      .map((values) => route.path.replace(/\{(\w+)\}/g, () => encodeComponent(values.pop() ?? ''))),
    query: fc.array(fc.tuple(fc.constantFrom(...route.query, 'x', 'limit'), hostileText), {
      maxLength: 4,
    }),
    lastEventId: fc.option(headerText, { nil: undefined }),
    contentType: fc.constantFrom(
      'multipart/form-data; boundary=x',
      'application/pdf',
      'application/json',
      'text/plain',
      '',
    ),
    body: hostileText,
  });
}

test.describe('fuzzing the back office routes', () => {
  test.setTimeout(240_000);

  for (const route of ROUTES) {
    test(`${route.method} ${route.path}: never a 5xx, never a write when refused`, async ({
      page,
      context,
      baseURL,
    }) => {
      const accountId = await createAccount({ balance: '1000.00' });
      const chargeId = await chargeAccount(accountId, '50.00', `fuzz-${randomUUID().slice(0, 6)}`);
      const system = () => ({ actor: 'system:e2e', idempotencyKey: randomUUID() });
      const opened = await openDispute({
        input: { chargeEventId: chargeId, reasonCode: 'general', description: 'fuzz' },
        context: system(),
      });
      const disputeId = opened.disputes[0]?.id as string;
      const noted = await addDisputeNote({
        disputeId,
        input: { text: 'fuzz' },
        context: system(),
      });
      const evidenceId = String(noted.events[0]?.data.evidenceId);
      const fixture: Fixture = { accountId, disputeId, evidenceId };

      await signIn(page, await createTestUser('admin'));
      const cookie = (await context.cookies())
        .map((entry) => `${entry.name}=${entry.value}`)
        .join('; ');
      // The session works: what the fuzz sends is judged by the routes, not refused at the door.
      const timeline = await fetch(`${baseURL}/api/accounts/${accountId}/timeline`, {
        headers: { cookie },
      });
      expect(timeline.status).toBe(200);

      await fc.assert(
        fc.asyncProperty(requestFor(route, fixture), async (input) => {
          const before = await ledgerCounts();
          const search = input.query
            .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`)
            .join('&');
          const url = `${baseURL}${input.path}${search ? `?${search}` : ''}`;
          const headers: Record<string, string> = { cookie, origin: baseURL as string };
          if (input.lastEventId !== undefined) headers['Last-Event-ID'] = input.lastEventId;
          if (input.contentType) headers['Content-Type'] = input.contentType;
          // The live stream answers 200 and stays open: only its status is read.
          const aborting = new AbortController();
          const response = await fetch(url, {
            method: route.method,
            headers,
            redirect: 'manual',
            signal: aborting.signal,
            ...(route.method === 'POST' ? { body: Buffer.from(input.body, 'utf8') } : {}),
          });
          const status = response.status;
          const text = response.headers.get('content-type')?.startsWith('text/event-stream')
            ? ''
            : await response.text();
          aborting.abort();
          expect(status, `${route.method} ${url} → ${status} ${text.slice(0, 300)}`).toBeLessThan(
            500,
          );
          if (status >= 400)
            expect(await ledgerCounts(), `${route.method} ${url} → ${status} wrote`).toBe(before);
        }),
        { numRuns: 40 },
      );
    });
  }
});
