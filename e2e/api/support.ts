// Helpers for the HTTP contract tests: API keys per role, and a thin client that sends what an
// integrator would send.

import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import type { z } from 'zod';
import type { Role } from '../../lib/auth/permissions';
import { createApiKey } from '../../lib/server/api-keys/create-api-key';
import { accountResource, problemResource } from '../../lib/schemas/api-resources';
import { createTestUser, type TestUser } from '../support/ledger';

const keys = new Map<Role, string>();
let keyOwner: Promise<TestUser> | undefined;

/** The admin who owns the keys apiKeyFor hands out: one per test worker. */
export function keyOwnerOf(): Promise<TestUser> {
  keyOwner ??= createTestUser('admin');
  return keyOwner;
}

/** A new API key with `role`, owned by an admin created once per test worker. */
export async function createTestApiKey(role: Role, label = 'e2e') {
  const owner = await keyOwnerOf();
  return createApiKey({
    input: { name: `${label} ${role} ${randomUUID().slice(0, 6)}`, role },
    ownerId: owner.id,
    actor: 'system:e2e',
  });
}

/** An API key with `role`, created once per test worker. */
export async function apiKeyFor(role: Role): Promise<string> {
  let key = keys.get(role);
  if (!key) {
    key = (await createTestApiKey(role)).key;
    keys.set(role, key);
  }
  return key;
}

export interface Client {
  get(path: string, headers?: Record<string, string>): Promise<APIResponse>;
  post(
    path: string,
    body: unknown,
    options?: { idempotencyKey?: string | null; headers?: Record<string, string> },
  ): Promise<APIResponse>;
}

export function client(request: APIRequestContext, key: string | null): Client {
  const auth: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
  return {
    get: (path, headers = {}) => request.get(path, { headers: { ...auth, ...headers } }),
    post: (path, body, options = {}) =>
      request.post(path, {
        headers: {
          ...auth,
          'Content-Type': 'application/json',
          ...(options.idempotencyKey === null
            ? {}
            : { 'Idempotency-Key': options.idempotencyKey ?? randomUUID() }),
          ...options.headers,
        },
        // A Buffer goes out byte for byte; a string would be JSON-encoded again.
        data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      }),
  };
}

export async function asClient(request: APIRequestContext, role: Role): Promise<Client> {
  return client(request, await apiKeyFor(role));
}

/** Parses a success body against its documented schema. */
export async function expectBody<S extends z.ZodType>(
  response: APIResponse,
  status: number,
  schema: S,
): Promise<z.output<S>> {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  expect(response.headers()['content-type']).toContain('application/json');
  expect(response.headers()['x-request-id']).toBeTruthy();
  return schema.parse(JSON.parse(text));
}

/** Checks an RFC 9457 problem answer with its stable code, and that nothing internal leaked. */
export async function expectProblem(response: APIResponse, status: number, code: string) {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  expect(response.headers()['content-type']).toContain('application/problem+json');
  expect(response.headers()['x-request-id']).toBeTruthy();
  expect(text).not.toMatch(/at \S+\.(ts|js):\d+|SELECT |INSERT |violates|syntax error|ECONN/i);
  const problem = problemResource.parse(JSON.parse(text));
  expect(problem).toMatchObject({ status, code, type: `urn:chronicle:problem:${code}` });
  return problem;
}

export async function openAccountViaApi(api: Client, body: Record<string, unknown> = {}) {
  const response = await api.post('/api/v1/accounts', {
    ownerId: `cust_${randomUUID().slice(0, 8)}`,
    currency: 'USD',
    ...body,
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; balance: string; version: number };
}

/**
 * 20 concurrent withdrawals of 7.00 from 100.00: exactly 14 succeed, 6 are refused as
 * insufficient_funds, and the account ends at 2.00, version 16. (Run against one server process,
 * and against several workers sharing one batcher.)
 */
export async function expectOnlyWhatFitsSucceeds(api: Client): Promise<void> {
  const account = await openAccountViaApi(api, { initialBalance: '100.00' });
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      api.post(`/api/v1/accounts/${account.id}/withdrawals`, { amount: '7.00' }),
    ),
  );
  const statuses = responses.map((response) => response.status());
  expect(statuses.filter((status) => status === 201)).toHaveLength(14);
  expect(statuses.filter((status) => status === 409)).toHaveLength(6);
  for (const response of responses.filter((item) => item.status() === 409))
    expect(((await response.json()) as { code: string }).code).toBe('insufficient_funds');
  for (const response of responses.filter((item) => item.status() === 201)) {
    const balance = ((await response.json()) as { account: { balance: string } }).account.balance;
    expect(balance.startsWith('-')).toBe(false);
  }
  expect(
    await expectBody(await api.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '2.00', version: 16 });
}

/** The same Idempotency-Key sent 10 times at once: one withdrawal, ten identical answers. */
export async function expectOneEffectPerKey(api: Client): Promise<void> {
  const account = await openAccountViaApi(api, { initialBalance: '100.00' });
  const idempotencyKey = randomUUID();
  const responses = await Promise.all(
    Array.from({ length: 10 }, () =>
      api.post(
        `/api/v1/accounts/${account.id}/withdrawals`,
        { amount: '60.00', reference: 'once' },
        { idempotencyKey },
      ),
    ),
  );
  expect(responses.map((response) => response.status())).toEqual(Array(10).fill(201));
  expect(new Set(await Promise.all(responses.map((response) => response.text()))).size).toBe(1);
  expect(
    responses.filter((response) => response.headers()['idempotent-replayed'] === 'true'),
  ).toHaveLength(9);
  expect(
    await expectBody(await api.get(`/api/v1/accounts/${account.id}`), 200, accountResource),
  ).toMatchObject({ balance: '40.00', version: 3 });
}
