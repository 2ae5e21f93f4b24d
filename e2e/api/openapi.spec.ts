import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, test } from '@playwright/test';
import { ERROR_CODES } from '../../lib/errors';
import { API } from '../../lib/server/http/api-contract';

const DOCUMENTED = [
  'POST /api/v1/accounts',
  'GET /api/v1/accounts',
  'GET /api/v1/accounts/{id}',
  'GET /api/v1/accounts/{id}/events',
  'POST /api/v1/accounts/{id}/deposits',
  'POST /api/v1/accounts/{id}/withdrawals',
  'POST /api/v1/transfers',
  'POST /api/v1/reversals',
  'POST /api/v1/accounts/{id}/holds',
  'GET /api/v1/accounts/{id}/holds',
  'GET /api/v1/holds/{holdId}',
  'POST /api/v1/holds/{holdId}/captures',
  'POST /api/v1/holds/{holdId}/release',
  'POST /api/v1/accounts/{id}/freeze',
  'POST /api/v1/accounts/{id}/unfreeze',
  'GET /api/v1/events',
  'GET /api/v1/events/{id}/proof',
  'GET /api/v1/checkpoints',
  'GET /api/v1/checkpoints/{number}',
  'GET /api/v1/checkpoints/public-key',
  'GET /api/v1/accounts/{id}/statement',
  'POST /api/v1/disputes',
  'GET /api/v1/disputes',
  'GET /api/v1/disputes/{disputeId}',
  'POST /api/v1/disputes/{disputeId}/assign',
  'POST /api/v1/disputes/{disputeId}/notes',
  'POST /api/v1/disputes/{disputeId}/evidence',
  'POST /api/v1/disputes/{disputeId}/submit',
  'POST /api/v1/disputes/{disputeId}/provisional-credit',
  'POST /api/v1/disputes/{disputeId}/resolve',
  'POST /api/v1/disputes/{disputeId}/withdraw',
  'POST /api/v1/disputes/{disputeId}/write-off',
  'GET /api/v1/disputes/{disputeId}/package',
  'GET /api/v1/admin-actions',
  'GET /api/v1/approvals',
  'GET /api/v1/approvals/{approvalId}',
  'POST /api/v1/approvals/{approvalId}/approve',
  'POST /api/v1/approvals/{approvalId}/reject',
  'POST /api/v1/approvals/{approvalId}/cancel',
  'POST /api/v1/accounts/{id}/corrections',
  'GET /api/v1/integrity',
  'POST /api/v1/integrity/verifications',
  'GET /api/v1/integrity/verifications/{id}',
  'GET /api/v1/openapi.json',
  'GET /api/health',
];

test('the OpenAPI document is valid OpenAPI 3.1 and describes every endpoint', async ({
  request,
}) => {
  const response = await request.get('/api/v1/openapi.json');
  expect(response.status()).toBe(200);
  const document = (await response.json()) as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string }> }>
    >;
  };
  expect(document.openapi).toBe('3.1.0');
  const validation = await new Validator().validate(document as never);
  expect(validation, JSON.stringify(validation.errors)).toMatchObject({ valid: true });

  const listed = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(listed.sort()).toEqual([...DOCUMENTED].sort());
  expect(
    Object.values(API)
      .map((operation) => `${operation.method} ${operation.path}`)
      .sort(),
  ).toEqual([...DOCUMENTED].sort());

  // Every POST documents its Idempotency-Key, and every documented error code has its status.
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (method === 'post')
        expect(
          operation.parameters?.map((parameter) => parameter.name),
          path,
        ).toContain('Idempotency-Key');
    }
  }
  const deposit = document.paths['/api/v1/accounts/{id}/deposits']?.post;
  for (const code of [
    'validation_error',
    'unauthorized',
    'forbidden',
    'not_found',
    'insufficient_funds',
    'account_frozen',
    'concurrency_conflict',
    'idempotency_key_reused',
    'payload_too_large',
    'unsupported_media_type',
    'uri_too_long',
  ] as const) {
    expect(Object.keys(deposit?.responses ?? {}), code).toContain(String(ERROR_CODES[code].status));
  }
});
