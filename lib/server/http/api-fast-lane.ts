// The integrators' lane: requests to HTTP API v1 go straight to their route handlers
// (app/api/v1/**/route.ts, the same modules Next.js serves) instead of through Next.js's router
// and proxy.ts. Measured on the development machine, Next.js spends about 2.5 ms of CPU on a
// request before a route handler runs — more than the handler itself for most of the API — so on
// two cores it capped the whole API near 400 requests a second whatever the ledger could do.
//
// Nothing about a request's meaning changes: the handlers are the same functions, built by
// apiRoute (authentication, permissions, validation, idempotency, problem+json); this lane only
// matches the path, hands over a standard Request, and writes the Response back with the same
// security headers proxy.ts gives API answers. Anything it does not match — pages, the back
// office's own /api routes, unknown paths and methods — goes to Next.js as before.
// CHRONICLE_API_FAST_LANE=off sends everything through Next.js.

import { readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { internalErrorMessage } from '../../errors';
import { isPublicUrlHttps } from '../public-url';
import { logUnexpectedError } from '../log';
import { problemResponse } from './problem-response';
import { MAX_BODY_BYTES } from './read-json-body';
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from './security-headers';

const API_ROOT = path.join('app', 'api', 'v1');
/** Bodies up to this size with a Content-Length are read whole (see toWebRequest). */
const SMALL_BODY_BYTES = MAX_BODY_BYTES;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

interface FastRoute {
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
  readonly file: string;
  /** The module's handlers once loaded: until then, and for methods it lacks, Next.js answers. */
  handlers?: Partial<Record<Method, RouteHandler>>;
}

/** Every route.ts under app/api/v1, as a path pattern: `[id]` segments match one segment. */
export function findApiRoutes(appDirectory: string): FastRoute[] {
  const routes: FastRoute[] = [];
  const walk = (directory: string, segments: string[]) => {
    for (const entry of readdirSync(directory)) {
      const full = path.join(directory, entry);
      if (statSync(full).isDirectory()) walk(full, [...segments, entry]);
      else if (entry === 'route.ts' || entry === 'route.js') {
        const paramNames: string[] = [];
        const source = segments.map((segment) => {
          const dynamic = /^\[([A-Za-z]\w*)\]$/.exec(segment);
          if (dynamic?.[1]) {
            paramNames.push(dynamic[1]);
            return '([^/]+)';
          }
          if (!/^[\w.-]+$/.test(segment)) throw new Error(`unexpected route segment ${segment}`);
          return segment.replace(/\./g, '\\.');
        });
        routes.push({
          pattern: new RegExp(`^/api/v1${source.map((part) => `/${part}`).join('')}$`),
          paramNames,
          file: full,
        });
      }
    }
  };
  walk(path.join(appDirectory, API_ROOT), []);
  // Literal segments before dynamic ones, as Next.js matches them (`checkpoints/public-key`
  // before `checkpoints/[number]`).
  return routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
}

export interface FastLane {
  /** Serves the request and returns true, or returns false to leave it to Next.js. */
  serve(request: IncomingMessage, response: ServerResponse): boolean;
}

export function createFastLane(appDirectory: string): FastLane | null {
  if (process.env.CHRONICLE_API_FAST_LANE === 'off') return null;
  const routes = findApiRoutes(appDirectory);
  // The route modules load when the first API v1 request arrives (that request, and any until
  // they have loaded, is simply Next.js's): a server that only serves the back office never loads
  // a second copy of them.
  let loading = false;
  const load = () => {
    loading = true;
    for (const route of routes)
      import(pathToFileURL(path.resolve(route.file)).href).then(
        (module: Partial<Record<Method, RouteHandler>>) => {
          route.handlers = module;
        },
        (error: unknown) =>
          logUnexpectedError('an API route could not be loaded for the fast lane', error, {
            file: route.file,
          }),
      );
  };
  return {
    serve(request, response) {
      const url = request.url ?? '';
      if (!url.startsWith('/api/v1/')) return false;
      if (!loading) load();
      const method = request.method as Method;
      if (!METHODS.includes(method)) return false;
      const pathname = url.split('?', 1)[0] as string;
      let decoded: string[] | null = null;
      for (const route of routes) {
        const match = route.pattern.exec(pathname);
        if (!match) continue;
        const handler = route.handlers?.[method];
        if (!handler) return false;
        try {
          decoded = match.slice(1).map((value) => decodeURIComponent(value));
        } catch {
          // Not UTF-8: proxy.ts answers that one with its problem.
          return false;
        }
        const params = Object.fromEntries(
          route.paramNames.map((name, index) => [name, decoded?.[index] ?? '']),
        );
        void handle(handler, method, params, request, response);
        return true;
      }
      return false;
    },
  };
}

async function handle(
  handler: RouteHandler,
  method: Method,
  params: Record<string, string>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const answer = await handler(await toWebRequest(request, method), {
      params: Promise.resolve(params),
    });
    await writeAnswer(answer, response);
  } catch (error) {
    // apiRoute turns every failure into a problem; this is for the lane's own (a broken socket).
    const reference = logUnexpectedError('api request failed outside its handler', error);
    if (!response.headersSent)
      await writeAnswer(
        problemResponse('internal_error', internalErrorMessage(reference), reference),
        response,
      );
    else response.destroy();
  }
}

async function toWebRequest(request: IncomingMessage, method: Method): Promise<Request> {
  const headers = new Headers();
  for (let index = 0; index < request.rawHeaders.length; index += 2)
    headers.append(request.rawHeaders[index] as string, request.rawHeaders[index + 1] as string);
  const url = `http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`;
  if (method === 'GET' || method === 'DELETE') return new Request(url, { method, headers });
  // A small body of declared length (every JSON command) is read here at once: a web stream per
  // request costs more than the command. Anything else streams, and the handler's own limits
  // (readJsonBody, uploads) apply as the bytes arrive.
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isSafeInteger(declared) && declared <= SMALL_BODY_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new Request(url, { method, headers, body: Buffer.concat(chunks) });
  }
  return new Request(url, {
    method,
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
}

function apiSecurityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': API_CONTENT_SECURITY_POLICY,
    ...securityHeaders({ isHttps: isPublicUrlHttps() }),
  };
}

/** Writes a web Response to a Node response, with the security headers API answers carry. */
export async function writeAnswer(answer: Response, response: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? answer.headers.getSetCookie() : value;
  });
  Object.assign(headers, apiSecurityHeaders());
  if (!answer.body) {
    response.writeHead(answer.status, headers);
    response.end();
    return;
  }
  if (!answer.headers.get('content-type')?.startsWith('text/event-stream')) {
    // A whole answer (JSON, a CSV or ZIP export) goes out with its length in one write.
    const body = Buffer.from(await answer.arrayBuffer());
    headers['content-length'] = String(body.length);
    response.writeHead(answer.status, headers);
    response.end(body);
    return;
  }
  // Event streams flow as they are produced; the client leaving stops them.
  response.writeHead(answer.status, headers);
  const body = Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream);
  response.on('close', () => body.destroy());
  for await (const chunk of body) {
    if (!response.write(chunk))
      await new Promise<void>((resolve) => response.once('drain', () => resolve()));
  }
  response.end();
}
