// Chronicle's HTTP server: the production Next.js app, run in this process behind Node's own HTTP
// server. It exists for one reason Next.js cannot serve: route handlers never see the socket, so
// they cannot know who connected. Here every request gets the client address computed from the
// socket (and X-Forwarded-For, only from TRUSTED_PROXIES) in a private header, replacing whatever
// the client sent under that name. HTTP API v1 requests take a faster lane to the same route
// handlers (./api-fast-lane.ts). `npm start` and the browser tests serve through this; a plain
// `next start` still works, but sign-in throttling then has no client address to go on.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFastLane, writeAnswer } from './api-fast-lane';
import { problemResponse } from './problem-response';
import { resolveClientAddress, type TrustedProxies } from './client-address';
import { CLIENT_ADDRESS_HEADER, declareClientAddressHeaderStamped } from './trusted-client-address';

/**
 * The longest request target (path and query) served, as most proxies cap it. No Chronicle URL
 * comes near it; a longer one is refused with 414 before anything reads it. Without this cap,
 * Next.js's redirect of a trailing slash echoed the whole URL in a Location header that clients
 * with the usual 16 KiB header limit could not even parse.
 */
export const MAX_REQUEST_TARGET_LENGTH = 8 * 1024;

/** How long in-flight requests (live streams never finish by themselves) get to end on shutdown. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface ServeOptions {
  /** 0 picks a free port; the running server reports the one it got. */
  readonly port: number;
  /** The interface to listen on; all of them when absent. */
  readonly hostname?: string | undefined;
  /** The directory holding the app and its `.next` build. */
  readonly dir?: string | undefined;
  readonly trustedProxies: TrustedProxies;
}

export interface RunningServer {
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish for a moment, then closes Next.js. */
  close(): Promise<void>;
}

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Replaces the client-address header with the address this server determined, or removes it. */
export function stampClientAddress(request: IncomingMessage, trustedProxies: TrustedProxies): void {
  const address = resolveClientAddress({
    peerAddress: request.socket.remoteAddress,
    forwardedFor: request.headers['x-forwarded-for'],
    trustedProxies,
  });
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
}

export async function serveChronicle(options: ServeOptions): Promise<RunningServer> {
  // As `next start` does: the production build wants React's production build.
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: 'production' });
  declareClientAddressHeaderStamped();

  let markReady: (handler: RequestHandler) => void = () => undefined;
  const ready = new Promise<RequestHandler>((resolve) => (markReady = resolve));
  const fastLane = createFastLane(options.dir ?? process.cwd());
  const server = createServer((request, response) => {
    stampClientAddress(request, options.trustedProxies);
    if ((request.url?.length ?? 0) > MAX_REQUEST_TARGET_LENGTH) {
      void refuseLongRequestTarget(response);
      return;
    }
    if (fastLane?.serve(request, response)) return;
    // Requests that arrive while Next.js is still loading wait for it.
    ready
      .then((handle) => handle(request, response))
      .catch((error: unknown) => {
        console.error('[chronicle] request failed before reaching the app', error);
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
  });

  // Listening first makes a port conflict fail at once, and tells us the port when it was 0.
  await listen(server, options.port, options.hostname);
  const port = (server.address() as AddressInfo).port;
  try {
    const { default: next } = await import('next');
    const app = next({
      dev: false,
      dir: options.dir ?? process.cwd(),
      hostname: options.hostname ?? 'localhost',
      port,
      httpServer: server,
    });
    await app.prepare();
    markReady(app.getRequestHandler());
    return { port, close: () => shutDown(server, () => app.close()) };
  } catch (error) {
    server.close();
    server.closeAllConnections();
    throw error;
  }
}

async function refuseLongRequestTarget(response: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const answer = problemResponse(
    'uri_too_long',
    `URLs are at most ${MAX_REQUEST_TARGET_LENGTH} characters long; send long input in a request body.`,
    requestId,
  );
  answer.headers.set('X-Request-Id', requestId);
  answer.headers.set('Connection', 'close');
  await writeAnswer(answer, response);
}

function listen(server: Server, port: number, hostname: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function shutDown(server: Server, closeApp: () => Promise<void>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(grace);
  await closeApp();
}
