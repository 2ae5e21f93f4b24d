// GET /api/health: 200 with the dependencies' status when the database answers, 503 when it does
// not — exercised through the real route handler.

import { describe, expect, it } from 'vitest';
import { GET } from '../../../app/api/health/route';
import { createPool, getPool, type Pool } from '../db/pool';

const call = () => GET(new Request('http://localhost/api/health'), { params: Promise.resolve({}) });

describe('the health endpoint', () => {
  it('answers 200 while the database is reachable', async () => {
    const response = await call();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      database: 'ok',
      status: expect.stringMatching(/^(ok|degraded)$/),
    });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers 503 when the database is unreachable', async () => {
    const globals = globalThis as unknown as { chroniclePool?: Pool };
    const reachable = getPool();
    // Port 1 refuses connections: the pool the app uses now points at a database that is down.
    globals.chroniclePool = createPool('postgres://postgres@127.0.0.1:1/none', { max: 1 });
    try {
      const response = await call();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'unavailable',
        database: 'unavailable',
      });
    } finally {
      await globals.chroniclePool?.end();
      globals.chroniclePool = reachable;
    }
  });
});
