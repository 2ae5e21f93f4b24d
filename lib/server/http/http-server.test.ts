// The client-address stamping of Chronicle's HTTP server, over real sockets: an HTTP server that
// stamps each request exactly as serve.ts does and echoes what the app would be told.

import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustedProxies, type TrustedProxies } from './client-address';
import { stampClientAddress } from './http-server';
import {
  CLIENT_ADDRESS_HEADER,
  declareClientAddressHeaderStamped,
  trustedClientAddress,
} from './trusted-client-address';

const servers: Array<ReturnType<typeof createServer>> = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** Starts an echo server on 127.0.0.1 and returns a function that asks it who we are. */
async function echoServer(trustedProxies: TrustedProxies) {
  const server = createServer((request, response) => {
    stampClientAddress(request, trustedProxies);
    response.end(JSON.stringify(request.headers[CLIENT_ADDRESS_HEADER] ?? null));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return (headers: Record<string, string>) =>
    new Promise<unknown>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, headers }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      });
      request.on('error', reject);
      request.end();
    });
}

describe("Chronicle's HTTP server stamps the client address", () => {
  it('from the socket, replacing a client-sent header and ignoring X-Forwarded-For from an untrusted peer', async () => {
    const whoAmI = await echoServer(parseTrustedProxies(''));
    expect(await whoAmI({})).toBe('127.0.0.1');
    expect(
      await whoAmI({ [CLIENT_ADDRESS_HEADER]: '203.0.113.66', 'X-Forwarded-For': '203.0.113.77' }),
    ).toBe('127.0.0.1');
  });

  it('from X-Forwarded-For when the peer is a trusted proxy', async () => {
    const whoAmI = await echoServer(parseTrustedProxies('127.0.0.1'));
    expect(await whoAmI({ 'X-Forwarded-For': 'spoofed, 203.0.113.77' })).toBe('203.0.113.77');
    expect(
      await whoAmI({ [CLIENT_ADDRESS_HEADER]: '203.0.113.66', 'X-Forwarded-For': '198.51.100.1' }),
    ).toBe('198.51.100.1');
  });
});

describe('trustedClientAddress', () => {
  const headers = { [CLIENT_ADDRESS_HEADER]: '203.0.113.66' };

  it("believes the header only once Chronicle's server has declared that it stamps every request", () => {
    expect(trustedClientAddress(headers)).toBeNull();
    expect(trustedClientAddress(new Headers(headers))).toBeNull();
    declareClientAddressHeaderStamped();
    expect(trustedClientAddress(headers)).toBe('203.0.113.66');
    expect(trustedClientAddress(new Headers(headers))).toBe('203.0.113.66');
    expect(trustedClientAddress({})).toBeNull();
  });
});
