// The refused-attempt log cannot be used to fill the database: resources are cut short, and one
// actor's refusals beyond the rate are counted instead of recorded one by one.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getPool } from '../db/pool';
import {
  DENIAL_WINDOW_MS,
  MAX_DENIALS_PER_WINDOW,
  MAX_RESOURCE_LENGTH,
  flushEndedDenialWindows,
  recordDenial,
} from './record-denial';

async function rowsOf(actor: string) {
  return (
    await getPool().query<{ action: string; resource: string | null }>(
      'SELECT action, resource FROM access_denials WHERE actor = $1 ORDER BY id',
      [actor],
    )
  ).rows;
}

describe('recording refused attempts', () => {
  it('cuts a megabyte-long resource to a bounded length', async () => {
    const actor = `user:${randomUUID()}`;
    await recordDenial({
      actor,
      role: 'auditor',
      action: 'funds:deposit',
      resource: 'x'.repeat(1024 * 1024),
      channel: 'web',
    });
    const [row] = await rowsOf(actor);
    expect(row?.resource?.length).toBe(MAX_RESOURCE_LENGTH);
    expect(row?.resource?.endsWith('…')).toBe(true);
  });

  it('records one actor’s refusals one by one only up to the rate, then counts them', async () => {
    const actor = `api_key:${randomUUID()}`;
    const start = 1_000_000;
    for (let index = 0; index < 500; index += 1)
      await recordDenial(
        { actor, role: 'auditor', action: 'funds:withdraw', resource: '/x', channel: 'api' },
        start + index,
      );
    expect(await rowsOf(actor)).toHaveLength(MAX_DENIALS_PER_WINDOW);

    // The next window starts with the count of what was held back.
    await recordDenial(
      { actor, role: 'auditor', action: 'funds:withdraw', resource: '/x', channel: 'api' },
      start + DENIAL_WINDOW_MS + 1,
    );
    const rows = await rowsOf(actor);
    expect(rows).toHaveLength(MAX_DENIALS_PER_WINDOW + 2);
    expect(rows[MAX_DENIALS_PER_WINDOW]).toEqual({
      action: 'denials_rate_limited',
      resource: `${500 - MAX_DENIALS_PER_WINDOW} more refused attempts were counted but not recorded one by one`,
    });
  });

  it('records the count of an actor who stops, once their window is over', async () => {
    const actor = `api_key:${randomUUID()}`;
    const start = 5_000_000;
    for (let index = 0; index < MAX_DENIALS_PER_WINDOW + 7; index += 1)
      await recordDenial(
        { actor, role: 'auditor', action: 'funds:deposit', resource: '/y', channel: 'api' },
        start,
      );
    await flushEndedDenialWindows(start + DENIAL_WINDOW_MS - 1);
    expect(await rowsOf(actor)).toHaveLength(MAX_DENIALS_PER_WINDOW);
    await flushEndedDenialWindows(start + DENIAL_WINDOW_MS);
    const rows = await rowsOf(actor);
    expect(rows).toHaveLength(MAX_DENIALS_PER_WINDOW + 1);
    expect(rows.at(-1)).toEqual({
      action: 'denials_rate_limited',
      resource: '7 more refused attempts were counted but not recorded one by one',
    });
    // Counted once: a later flush or refusal does not repeat it.
    await flushEndedDenialWindows(start + 3 * DENIAL_WINDOW_MS);
    await recordDenial(
      { actor, role: 'auditor', action: 'funds:deposit', resource: '/y', channel: 'api' },
      start + 3 * DENIAL_WINDOW_MS,
    );
    expect(await rowsOf(actor)).toHaveLength(MAX_DENIALS_PER_WINDOW + 2);
  });

  it('limits each actor separately', async () => {
    const noisy = `user:${randomUUID()}`;
    const quiet = `user:${randomUUID()}`;
    for (let index = 0; index < MAX_DENIALS_PER_WINDOW + 5; index += 1)
      await recordDenial({ actor: noisy, role: 'support', action: 'users:manage', channel: 'web' });
    await recordDenial({ actor: quiet, role: 'support', action: 'users:manage', channel: 'web' });
    expect(await rowsOf(quiet)).toHaveLength(1);
  });
});
