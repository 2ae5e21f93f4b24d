// Property-based fuzzing of every operation in the API contract, over real HTTP against the
// production server: random paths, query strings, headers and bodies — hostile numbers, lone
// UTF-16 surrogates, invalid UTF-8, control characters, huge and malformed values. Whatever is
// sent, the answer is never a 5xx, and an answer of 400 or more never leaves a write behind.

import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { API, type ApiOperation } from '../../lib/server/http/api-contract';
import { chargeAccount, createAccount, placeTestHold } from '../support/ledger';
import {
  encodeComponent,
  headerText,
  hostileJson,
  hostileText,
  ledgerCounts,
} from './fuzz-support';
import { apiKeyFor } from './support';

const OPERATIONS = Object.values(API) as ApiOperation[];

interface Fixture {
  accountId: string;
  otherAccountId: string;
  chargeId: string;
  holdId: string;
}

function validBody(operation: ApiOperation, fixture: Fixture): Record<string, unknown> {
  switch (operation.operationId) {
    case 'createAccount':
      return { ownerId: 'cust_fuzz', currency: 'USD', initialBalance: '1.00' };
    case 'deposit':
      return { amount: '1.00', source: 'fuzz', reference: 'fuzz' };
    case 'withdraw':
      return { amount: '0.01', destination: 'fuzz', reference: 'fuzz' };
    case 'transfer':
      return {
        fromAccountId: fixture.accountId,
        toAccountId: fixture.otherAccountId,
        amount: '0.01',
      };
    case 'reverseCharge':
      return { originalEventId: fixture.chargeId, amount: '0.01', reason: 'fuzz' };
    case 'placeHold':
      return { amount: '0.01', reason: 'fuzz', reference: 'fuzz' };
    case 'captureHold':
      return { amount: '0.01' };
    default:
      return { reason: 'fuzz' };
  }
}

function requestFor(operation: ApiOperation, fixture: Fixture) {
  const pathParam = fc.oneof(
    { weight: 3, arbitrary: fc.constant(fixture.accountId) },
    { weight: 1, arbitrary: fc.constant(fixture.chargeId) },
    { weight: 2, arbitrary: fc.constant(fixture.holdId) },
    { weight: 3, arbitrary: hostileText },
  );
  const queryKeys = [...Object.keys(operation.query?.shape ?? {}), 'x', 'limit', 'after'];
  const query = fc.array(fc.tuple(fc.constantFrom(...queryKeys), hostileText), { maxLength: 4 });
  const body = fc.oneof(
    // A valid body with one field replaced or added.
    fc
      .tuple(
        fc.constantFrom(...Object.keys(validBody(operation, fixture)), 'unexpected'),
        hostileJson,
      )
      .map(([key, value]) => JSON.stringify({ ...validBody(operation, fixture), [key]: value })),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    hostileText,
  );
  return fc.record({
    path: fc
      .array(pathParam, { minLength: 4, maxLength: 4 })
      .map((values) =>
        operation.path.replace(/\{(\w+)\}/g, () => encodeComponent(values.pop() ?? '')),
      ),
    query,
    body,
    idempotencyKey: fc.oneof(
      { weight: 4, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: headerText },
    ),
    ifMatch: fc.option(headerText, { nil: undefined }),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/problem+json',
      '',
    ),
    requestId: fc.option(headerText, { nil: undefined }),
    authorization: fc.constantFrom('admin', 'admin', 'admin', 'auditor', 'garbage'),
  });
}

async function send(
  request: APIRequestContext,
  keys: Record<'admin' | 'auditor', string>,
  operation: ApiOperation,
  input: {
    path: string;
    query: Array<[string, string]>;
    body: string;
    idempotencyKey: string;
    ifMatch: string | undefined;
    contentType: string;
    requestId: string | undefined;
    authorization: 'admin' | 'auditor' | 'garbage';
  },
) {
  const search = input.query
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`)
    .join('&');
  const url = `${input.path}${search ? `?${search}` : ''}`;
  const key = input.authorization === 'garbage' ? 'chr_garbage' : keys[input.authorization];
  const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
  if (input.ifMatch !== undefined) headers['If-Match'] = input.ifMatch;
  if (input.requestId !== undefined) headers['X-Request-Id'] = input.requestId;
  if (operation.method === 'GET') return { url, response: await request.get(url, { headers }) };
  headers['Idempotency-Key'] = input.idempotencyKey;
  if (input.contentType) headers['Content-Type'] = input.contentType;
  return {
    url,
    response: await request.post(url, { headers, data: Buffer.from(input.body, 'utf8') }),
  };
}

test.describe('fuzzing the HTTP API', () => {
  test.setTimeout(240_000);

  for (const operation of OPERATIONS) {
    test(`${operation.method} ${operation.path}: never a 5xx, never a write on a 4xx`, async ({
      request,
    }) => {
      const accountId = await createAccount({ balance: '1000.00' });
      const fixture: Fixture = {
        accountId,
        otherAccountId: await createAccount({ balance: '10.00' }),
        chargeId: await chargeAccount(accountId, '50.00', `fuzz-${randomUUID().slice(0, 6)}`),
        holdId: await placeTestHold(accountId, '100.00'),
      };
      const keys = { admin: await apiKeyFor('admin'), auditor: await apiKeyFor('auditor') };
      await fc.assert(
        fc.asyncProperty(requestFor(operation, fixture), async (input) => {
          const before = await ledgerCounts();
          const { url, response } = await send(request, keys, operation, input);
          const status = response.status();
          const text = await response.text();
          expect(
            status,
            `${operation.method} ${url} → ${status} ${text.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (status >= 400) {
            expect(await ledgerCounts(), `${operation.method} ${url} → ${status} wrote`).toBe(
              before,
            );
          }
        }),
        { numRuns: 60 },
      );
    });
  }
});
