// The supervisor against real worker threads that crash: it restarts them with back-off, starts
// over from the shortest delay after a healthy run, and stops restarting when told.

import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { superviseWorker } from './supervised-worker';

/** A worker that throws at once: an uncaught exception ends its thread with code 1. */
const crashing = () => new Worker("throw new Error('boom')", { eval: true });

/** A worker that stays up until terminated. */
const steady = () => new Worker('setInterval(() => {}, 1000)', { eval: true });

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the supervisor');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a supervised worker', () => {
  it('is restarted after it crashes, with a growing delay', async () => {
    const spawnedAt: number[] = [];
    const supervised = superviseWorker({
      name: 'test worker',
      spawn: () => {
        spawnedAt.push(Date.now());
        return crashing();
      },
      policy: { initialDelayMs: 40, maxDelayMs: 160, healthyRunMs: 60_000 },
    });
    await waitFor(() => supervised.restarts() >= 3);
    supervised.stopSupervising();
    const gaps = spawnedAt.slice(1).map((at, index) => at - (spawnedAt[index] as number));
    // 40, 80, 160 ms of back-off after each crash (plus the time each worker takes to start).
    // (A few milliseconds of slack: timers and Date.now() round differently.)
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(gaps[2]).toBeGreaterThanOrEqual(155);
  });

  it('starts over from the shortest delay after a worker that ran long enough', async () => {
    const spawnedAt: number[] = [];
    let spawns = 0;
    const supervised = superviseWorker({
      name: 'test worker',
      // Crashes twice (back-off grows to 1.2 s), then runs healthily until terminated.
      spawn: () => {
        spawnedAt.push(Date.now());
        spawns += 1;
        return spawns <= 2 ? crashing() : steady();
      },
      policy: { initialDelayMs: 300, maxDelayMs: 5_000, healthyRunMs: 100 },
    });
    await waitFor(() => spawns === 3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const restartedAt = Date.now();
    await supervised.current().terminate();
    await waitFor(() => spawns === 4);
    supervised.stopSupervising();
    await supervised.current().terminate();
    // Had it not started over, the fourth start would have waited 1.2 s.
    expect((spawnedAt[3] as number) - restartedAt).toBeLessThan(1_000);
    expect((spawnedAt[3] as number) - restartedAt).toBeGreaterThanOrEqual(295);
  });

  it('does not restart a worker once supervision stops', async () => {
    let spawns = 0;
    const supervised = superviseWorker({
      name: 'test worker',
      spawn: () => {
        spawns += 1;
        return steady();
      },
      policy: { initialDelayMs: 10, maxDelayMs: 10, healthyRunMs: 60_000 },
    });
    supervised.stopSupervising();
    await supervised.current().terminate();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spawns).toBe(1);
    expect(supervised.restarts()).toBe(0);
  });
});
