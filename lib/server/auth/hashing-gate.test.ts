import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyGate } from './hashing-gate';

/** A task that runs until the test lets it finish. */
function heldTask() {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    work: async () => {
      started = true;
      await done;
      return 'done';
    },
    finish,
    hasStarted: () => started,
  };
}

describe('ConcurrencyGate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs up to maxRunning at once, queues up to maxWaiting, and turns the rest away at once', async () => {
    const gate = new ConcurrencyGate({ maxRunning: 2, maxWaiting: 1, maxWaitMs: 1_000 });
    const tasks = Array.from({ length: 4 }, heldTask);
    const outcomes = tasks.map((task) => gate.run(task.work));
    await vi.advanceTimersByTimeAsync(0);
    expect(tasks.map((task) => task.hasStarted())).toEqual([true, true, false, false]);
    expect(await outcomes[3]).toEqual({ isAdmitted: false });

    tasks[0]?.finish();
    expect(await outcomes[0]).toEqual({ isAdmitted: true, value: 'done' });
    await vi.advanceTimersByTimeAsync(0);
    expect(tasks[2]?.hasStarted()).toBe(true);
    tasks[1]?.finish();
    tasks[2]?.finish();
    expect(await Promise.all([outcomes[1], outcomes[2]])).toEqual([
      { isAdmitted: true, value: 'done' },
      { isAdmitted: true, value: 'done' },
    ]);
  });

  it('turns a waiter away when its wait runs out, and it never runs', async () => {
    const gate = new ConcurrencyGate({ maxRunning: 1, maxWaiting: 5, maxWaitMs: 1_000 });
    const first = heldTask();
    const second = heldTask();
    const running = gate.run(first.work);
    const waiting = gate.run(second.work);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await waiting).toEqual({ isAdmitted: false });
    first.finish();
    await running;
    expect(second.hasStarted()).toBe(false);
    // The place freed by the first task is free again, not lost to the waiter that left.
    const third = heldTask();
    const later = gate.run(third.work);
    await vi.advanceTimersByTimeAsync(0);
    expect(third.hasStarted()).toBe(true);
    third.finish();
    expect(await later).toEqual({ isAdmitted: true, value: 'done' });
  });

  it('frees the place of a task that throws', async () => {
    const gate = new ConcurrencyGate({ maxRunning: 1, maxWaiting: 0, maxWaitMs: 1_000 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toEqual({ isAdmitted: true, value: 'next' });
  });
});
