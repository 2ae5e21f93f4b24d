// Builds a Next.js route handler from an operation of the API contract. Every request goes
// through the same steps — authenticate the API key, check the permission, read and validate the
// query and the body, require an Idempotency-Key on POSTs, read If-Match — then the operation's
// handler runs one use case. Errors become problem+json; every response carries X-Request-Id and
// every request is logged as one JSON line.

import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { can } from '../../auth/permissions';
import { AppError } from '../../errors';
import { IDEMPOTENCY_KEY_PATTERN } from '../../ledger/limits';
import { authenticateApiKey, type ApiCaller } from '../api-keys/authenticate-api-key';
import { recordDenial } from '../auth/record-denial';
import { isApprovalRequested, type ApprovalRequested } from '../approvals/approval-requested';
import { logLine } from '../log';
import type { ApiOperation } from './api-contract';
import { COMMIT_LSN_HEADER, rememberApiCommit } from './commit-lsn';
import { errorToProblem } from './problem';
import { toApprovalResource } from './to-api-resources';
import { readJsonBody, validationError } from './read-json-body';

type QueryOf<Op> = Op extends { query: infer Q extends z.ZodType } ? z.output<Q> : undefined;
type BodyOf<Op> = Op extends { body: infer B extends z.ZodType } ? z.output<B> : undefined;

export interface ApiRequest<Op extends ApiOperation> {
  readonly request: Request;
  readonly requestId: string;
  /** Null only for public operations. */
  readonly caller: Op['permission'] extends null ? ApiCaller | null : ApiCaller;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryOf<Op>;
  readonly body: BodyOf<Op>;
  /** The Idempotency-Key header (POST operations). */
  readonly idempotencyKey: string;
  /** The version from If-Match, on operations that accept it. */
  readonly expectedVersion: number | undefined;
}

export interface ApiReply {
  readonly status: number;
  /** JSON, or bytes sent as they are (with their Content-Type among the headers). */
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

function requestIdOf(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

/** If-Match carries the account version: `"5"`, `W/"5"` or `5`. */
function expectedVersionOf(header: string | null): number | undefined {
  if (header === null) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new AppError('validation_error', 'If-Match must be an account version, such as "5".', {
      fieldErrors: { 'If-Match': 'Expected a version number.' },
    });
  }
  return Number(match[1]);
}

export function apiRoute<Op extends ApiOperation>(
  operation: Op,
  handler: (input: ApiRequest<Op>) => Promise<ApiReply>,
) {
  return async function route(request: Request, context: RouteContext): Promise<Response> {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let caller: ApiCaller | null = null;
    let response: Response;
    try {
      if (operation.permission !== null) {
        caller = await authenticateApiKey(request.headers.get('authorization'));
        if (!caller)
          throw new AppError(
            'unauthorized',
            'Send a valid API key as `Authorization: Bearer <key>`.',
          );
        if (!can(caller.role, operation.permission)) {
          await recordDenial({
            actor: caller.actor,
            role: caller.role,
            action: operation.permission,
            resource: new URL(request.url).pathname,
            channel: 'api',
          });
          throw new AppError(
            'forbidden',
            `API keys with the ${caller.role} role may not ${operation.summary.toLowerCase()}.`,
          );
        }
      }
      const rawParams = (await context.params) ?? {};
      const params = Object.fromEntries(
        Object.entries(rawParams).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      let query: unknown;
      if (operation.query) {
        const parsed = operation.query.safeParse(
          Object.fromEntries(new URL(request.url).searchParams),
        );
        if (!parsed.success) throw validationError(parsed.error, 'query');
        query = parsed.data;
      }
      let idempotencyKey = '';
      let body: unknown;
      if (operation.method === 'POST') {
        idempotencyKey = request.headers.get('idempotency-key') ?? '';
        if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
          throw new AppError(
            'validation_error',
            'Every POST needs an Idempotency-Key header of 1 to 255 visible ASCII characters, such as a UUID.',
            {
              fieldErrors: {
                'Idempotency-Key': idempotencyKey
                  ? 'Use 1 to 255 visible ASCII characters.'
                  : 'Required.',
              },
            },
          );
        }
        if (operation.body) body = await readJsonBody(request, operation.body);
      }
      const expectedVersion = operation.acceptsIfMatch
        ? expectedVersionOf(request.headers.get('if-match'))
        : undefined;
      const reply = await handler({
        request,
        requestId,
        caller: caller as ApiRequest<Op>['caller'],
        params,
        query: query as QueryOf<Op>,
        body: body as BodyOf<Op>,
        idempotencyKey,
        expectedVersion,
      });
      response = new Response(
        reply.body instanceof Uint8Array ? Buffer.from(reply.body) : JSON.stringify(reply.body),
        {
          status: reply.status,
          headers: {
            'Content-Type': 'application/json',
            'Cache-Control': 'no-store',
            ...reply.headers,
          },
        },
      );
    } catch (error) {
      response = isApprovalRequested(error)
        ? approvalAccepted(error)
        : errorToProblem(error, requestId);
    }
    // A command that was answered (an approval request too) wrote: where the WAL stood after it
    // lets this caller's reads on replicas include it (commit-lsn.ts). Without replicas: nothing.
    if (operation.method === 'POST' && caller && response.status < 300) {
      const commitLsn = await rememberApiCommit(caller);
      if (commitLsn !== null) response.headers.set(COMMIT_LSN_HEADER, commitLsn);
    }
    response.headers.set('X-Request-Id', requestId);
    logLine('info', 'api request', {
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      actor: caller?.actor ?? 'anonymous',
      requestId,
    });
    return response;
  };
}

/** 202 Accepted: the command waits, as this approval request, for a second person. */
function approvalAccepted(held: ApprovalRequested): Response {
  return new Response(JSON.stringify(toApprovalResource(held.approval)), {
    status: 202,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Location: `/api/v1/approvals/${held.approval.id}`,
      ...(held.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
    },
  });
}
