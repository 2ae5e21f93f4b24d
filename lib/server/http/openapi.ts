// The OpenAPI 3.1 document, generated from the API contract (api-contract.ts) and the zod schemas
// it names. Nothing here is written by hand that could disagree with what the handlers accept and
// return.

import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../errors';
import {
  accountAsOfResource,
  accountEventPage,
  accountPage,
  accountResource,
  approvalResource,
  eventFeedPage,
  eventResource,
  healthReport,
  integrityReport,
  movementResult,
  problemResource,
  transferResult,
} from '../../schemas/api-resources';
import {
  depositInput,
  freezeInput,
  openAccountInput,
  reversalInput,
  transferInput,
  withdrawalInput,
} from '../../schemas/ledger-inputs';
import { API, type ApiOperation } from './api-contract';

/** Schemas published under components.schemas, by name. */
const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  Account: accountResource,
  AccountAsOf: accountAsOfResource,
  Event: eventResource,
  AccountPage: accountPage,
  AccountEventPage: accountEventPage,
  EventFeedPage: eventFeedPage,
  MovementResult: movementResult,
  TransferResult: transferResult,
  IntegrityReport: integrityReport,
  Health: healthReport,
  ApprovalRequest: approvalResource,
  Problem: problemResource,
  OpenAccountRequest: openAccountInput,
  DepositRequest: depositInput,
  WithdrawalRequest: withdrawalInput,
  TransferRequest: transferInput,
  ReversalRequest: reversalInput,
  FreezeRequest: freezeInput,
};

const COMMON_ERRORS: readonly ErrorCode[] = ['unauthorized', 'forbidden', 'internal_error'];

type JsonSchema = Record<string, unknown>;

function buildComponents(): {
  schemas: Record<string, JsonSchema>;
  refFor: (schema: z.ZodType) => JsonSchema;
} {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  const bundle = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'input',
    unrepresentable: 'any',
  }) as { schemas: Record<string, JsonSchema> };
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(bundle.schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema;
    schemas[id] = rest;
  }
  const names = new Map(Object.entries(NAMED_SCHEMAS).map(([id, schema]) => [schema, id]));
  const refFor = (schema: z.ZodType): JsonSchema => {
    const name = names.get(schema);
    if (name) return { $ref: `#/components/schemas/${name}` };
    const { $schema: _schema, ...inline } = z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema;
    // Inline schemas may reference named ones by structure only; refer to them where possible.
    if (Array.isArray(inline.anyOf)) {
      return {
        anyOf: (schema as unknown as { options: z.ZodType[] }).options.map((option) =>
          refFor(option),
        ),
      };
    }
    return inline;
  };
  return { schemas, refFor };
}

function parametersOf(operation: ApiOperation): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const match of operation.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    });
  }
  if (operation.query) {
    const shape = operation.query.shape as Record<string, z.ZodType>;
    for (const [name, schema] of Object.entries(shape)) {
      const { $schema: _schema, ...json } = z.toJSONSchema(schema, {
        io: 'input',
        unrepresentable: 'any',
      }) as JsonSchema;
      const description = typeof json.description === 'string' ? json.description : undefined;
      parameters.push({
        name,
        in: 'query',
        required: false,
        schema: json,
        ...(description ? { description } : {}),
      });
    }
  }
  if (operation.method === 'POST') {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description:
        'Required on every POST. The same key with the same body replays the first answer; with another body it is refused (422).',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    });
  }
  if (operation.method === 'GET' && operation.permission !== null) {
    parameters.push({
      name: 'X-Chronicle-Min-LSN',
      in: 'header',
      required: false,
      description:
        'An X-Chronicle-Commit-LSN this client was given: the answer then includes that write, even where reads are served by a replica (docs/decisions/014-reads-on-replicas.md). The instance that took the write knows it anyway; send it when your requests may reach other instances.',
      schema: { type: 'string', pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$' },
    });
  }
  if (operation.acceptsIfMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'The account version you expect (its ETag). A mismatch answers 412 concurrency_conflict.',
      schema: { type: 'string', example: '"5"' },
    });
  }
  return parameters;
}

function responsesOf(
  operation: ApiOperation,
  refFor: (schema: z.ZodType) => JsonSchema,
): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {
    [String(operation.success.status)]: {
      description: operation.success.description,
      headers: {
        'X-Request-Id': {
          schema: { type: 'string' },
          description: 'Identifies the request in our logs.',
        },
        ...(operation.success.location
          ? {
              Location: { schema: { type: 'string' }, description: 'Where the new account lives.' },
            }
          : {}),
        ...(operation.method === 'POST'
          ? {
              'Idempotent-Replayed': {
                schema: { type: 'string', enum: ['true'] },
                description:
                  'Present when this is the stored answer to an earlier request with the same key.',
              },
              'X-Chronicle-Commit-LSN': {
                schema: { type: 'string' },
                description:
                  'Present when reads may be served by replicas: send it back as X-Chronicle-Min-LSN so that later reads include this write.',
              },
            }
          : {}),
      },
      content: operation.success.mediaType
        ? { [operation.success.mediaType]: { schema: { type: 'string', format: 'binary' } } }
        : { 'application/json': { schema: refFor(operation.success.schema) } },
    },
  };
  if (operation.mayNeedApproval) {
    responses['202'] = {
      description:
        'The approval policy holds this command: it did not run, and waits as this approval request for a second person (see /api/v1/approvals).',
      headers: {
        Location: { schema: { type: 'string' }, description: 'Where the approval request lives.' },
      },
      content: { 'application/json': { schema: refFor(approvalResource) } },
    };
  }
  // Every URL is subject to the server's length cap (http-server.ts), whatever the operation.
  const codes = [
    ...operation.errors,
    ...(operation.permission === null ? [] : COMMON_ERRORS),
    'uri_too_long' as const,
  ];
  for (const code of new Set(codes)) {
    const status = String(ERROR_CODES[code].status);
    const existing = responses[status] as { description: string } | undefined;
    responses[status] = {
      description: existing
        ? `${existing.description}; \`${code}\``
        : `\`${code}\`: ${ERROR_CODES[code].title}`,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  if (operation.operationId === 'health') {
    responses['503'] = {
      description: 'The database is unreachable.',
      content: { 'application/json': { schema: refFor(healthReport) } },
    };
  }
  return responses;
}

export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const { schemas, refFor } = buildComponents();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of Object.values(API) as ApiOperation[]) {
    const item = (paths[operation.path] ??= {});
    item[operation.method.toLowerCase()] = {
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      ...(operation.permission === null
        ? { security: [] }
        : { 'x-chronicle-permission': operation.permission }),
      parameters: parametersOf(operation),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: refFor(operation.body) } },
            },
          }
        : {}),
      ...(operation.upload
        ? {
            requestBody: {
              required: true,
              content: {
                'multipart/form-data': {
                  schema: {
                    type: 'object',
                    required: [operation.upload.field],
                    properties: {
                      [operation.upload.field]: {
                        type: 'string',
                        format: 'binary',
                        description: operation.upload.description,
                      },
                    },
                  },
                },
              },
            },
          }
        : {}),
      responses: responsesOf(operation, refFor),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chronicle ledger API',
      version: '1.0.0',
      description:
        'Post and read money movements. Amounts are decimal strings in the account currency, never JSON numbers. Errors are RFC 9457 problem details with a stable `code`.',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'Accounts' },
      { name: 'Money movements' },
      { name: 'Events' },
      { name: 'Holds' },
      { name: 'Disputes' },
      { name: 'Operations' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key from `npm run apikey:create`.',
        },
      },
      schemas,
    },
  };
}
