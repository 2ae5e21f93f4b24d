// The per-user cap's bookkeeping, as the supervisor of a server of several workers keeps it: a
// user's slots are counted across every holder, and a holder that goes frees all of its slots.

import { afterEach, describe, expect, it } from 'vitest';
import { LocalStreamSlots, SlotLedger, maxStreamsPerUser } from './stream-slots';

const WORKER_A = 1;
const WORKER_B = 2;

describe('the slot ledger', () => {
  it('counts a user’s slots across every worker', () => {
    const ledger = new SlotLedger();
    expect(ledger.take(WORKER_A, 1, 'alice', 3)).toBe(true);
    expect(ledger.take(WORKER_B, 1, 'alice', 3)).toBe(true);
    expect(ledger.take(WORKER_A, 2, 'alice', 3)).toBe(true);
    expect(ledger.take(WORKER_B, 2, 'alice', 3)).toBe(false);
    // Another user's slots are their own.
    expect(ledger.take(WORKER_B, 3, 'bob', 3)).toBe(true);
    expect(ledger.heldBy('alice')).toBe(3);
  });

  it('frees a slot once, however often it is given back', () => {
    const ledger = new SlotLedger();
    ledger.take(WORKER_A, 1, 'alice', 2);
    ledger.take(WORKER_A, 2, 'alice', 2);
    ledger.release(WORKER_A, 1);
    ledger.release(WORKER_A, 1);
    // A slot id of another worker is another slot.
    ledger.release(WORKER_B, 2);
    expect(ledger.heldBy('alice')).toBe(1);
    expect(ledger.take(WORKER_B, 1, 'alice', 2)).toBe(true);
    expect(ledger.take(WORKER_B, 3, 'alice', 2)).toBe(false);
  });

  it('does not count a slot twice when the same request is seen again', () => {
    const ledger = new SlotLedger();
    expect(ledger.take(WORKER_A, 1, 'alice', 1)).toBe(true);
    expect(ledger.take(WORKER_A, 1, 'alice', 1)).toBe(true);
    ledger.release(WORKER_A, 1);
    expect(ledger.heldBy('alice')).toBe(0);
  });

  it('frees every slot of a worker that has gone', () => {
    const ledger = new SlotLedger();
    ledger.take(WORKER_A, 1, 'alice', 3);
    ledger.take(WORKER_A, 2, 'alice', 3);
    ledger.take(WORKER_A, 3, 'bob', 3);
    ledger.take(WORKER_B, 1, 'alice', 3);
    ledger.dropHolder(WORKER_A);
    expect(ledger.heldBy('alice')).toBe(1);
    expect(ledger.heldBy('bob')).toBe(0);
    // Its late releases change nothing.
    ledger.release(WORKER_A, 1);
    expect(ledger.heldBy('alice')).toBe(1);
  });
});

describe('slots counted in one process', () => {
  afterEach(() => {
    delete process.env.CHRONICLE_MAX_STREAMS_PER_USER;
  });

  it('allow CHRONICLE_MAX_STREAMS_PER_USER per user, and free them when released', async () => {
    process.env.CHRONICLE_MAX_STREAMS_PER_USER = '2';
    expect(maxStreamsPerUser()).toBe(2);
    const slots = new LocalStreamSlots();
    const first = await slots.take('alice');
    expect(await slots.take('alice')).not.toBeNull();
    expect(await slots.take('alice')).toBeNull();
    first?.();
    first?.();
    expect(await slots.take('alice')).not.toBeNull();
    expect(await slots.take('alice')).toBeNull();
  });
});
