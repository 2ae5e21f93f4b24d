// How many live-update streams one user may hold open at once, counted for the whole server. A
// server of several workers (scripts/serve.ts) spreads connections over them, so a count kept in
// each worker would let a user hold the cap once per worker. Instead the supervisor keeps the
// count: a worker asks it for a slot over the cluster's IPC channel before opening a stream and
// gives the slot back when the stream ends. A worker that dies takes its slots with it — the
// supervisor drops them when it sees the worker exit — so nothing needs a lease or a heartbeat,
// and the count is exact. A server of one process counts in memory, as before.
//
// Each server counts its own: the cap bounds what one server's processes hold (connections,
// memory), as it always did; several servers on one database each allow the cap.

import cluster from 'node:cluster';

export const DEFAULT_MAX_STREAMS_PER_USER = 6;

/** Set by scripts/serve.ts in every worker of a server whose supervisor counts the slots. */
export const SHARED_STREAM_SLOTS_ENV = 'CHRONICLE_SHARED_STREAM_SLOTS';

export function maxStreamsPerUser(): number {
  const configured = Number.parseInt(process.env.CHRONICLE_MAX_STREAMS_PER_USER ?? '', 10);
  return Number.isSafeInteger(configured) && configured > 0
    ? configured
    : DEFAULT_MAX_STREAMS_PER_USER;
}

/** Gives a slot back. Calling it again does nothing. */
export type ReleaseSlot = () => void;

export interface StreamSlots {
  /** A slot for one more stream of `userId`; null when the user already holds the maximum. */
  take(userId: string): Promise<ReleaseSlot | null>;
}

/**
 * The bookkeeping: which holder (a worker, or this process) holds which slot for which user.
 * Pure, so both the in-process count and the supervisor's are this one class.
 */
export class SlotLedger {
  private readonly perUser = new Map<string, number>();
  private readonly perHolder = new Map<number, Map<number, string>>();

  /** Records slot `slotId` of `holder` for `userId` unless the user holds `max` already. */
  take(holder: number, slotId: number, userId: string, max: number): boolean {
    let slots = this.perHolder.get(holder);
    if (slots?.has(slotId)) return true;
    const held = this.perUser.get(userId) ?? 0;
    if (held >= max) return false;
    if (!slots) {
      slots = new Map();
      this.perHolder.set(holder, slots);
    }
    slots.set(slotId, userId);
    this.perUser.set(userId, held + 1);
    return true;
  }

  release(holder: number, slotId: number): void {
    const slots = this.perHolder.get(holder);
    const userId = slots?.get(slotId);
    if (!slots || userId === undefined) return;
    slots.delete(slotId);
    if (slots.size === 0) this.perHolder.delete(holder);
    this.forgetOne(userId);
  }

  /** Frees every slot `holder` held: it has gone. */
  dropHolder(holder: number): void {
    const slots = this.perHolder.get(holder);
    if (!slots) return;
    this.perHolder.delete(holder);
    for (const userId of slots.values()) this.forgetOne(userId);
  }

  heldBy(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  private forgetOne(userId: string): void {
    const held = (this.perUser.get(userId) ?? 1) - 1;
    if (held > 0) this.perUser.set(userId, held);
    else this.perUser.delete(userId);
  }
}

/** Slots counted in this process alone. */
export class LocalStreamSlots implements StreamSlots {
  private readonly ledger = new SlotLedger();
  private nextId = 1;

  async take(userId: string): Promise<ReleaseSlot | null> {
    const slotId = this.nextId++;
    if (!this.ledger.take(0, slotId, userId, maxStreamsPerUser())) return null;
    return () => this.ledger.release(0, slotId);
  }
}

interface TakeMessage {
  readonly chronicle: 'stream-slot-take';
  readonly id: number;
  readonly userId: string;
}

interface ReleaseMessage {
  readonly chronicle: 'stream-slot-release';
  readonly id: number;
}

interface AnswerMessage {
  readonly chronicle: 'stream-slot-answer';
  readonly id: number;
  readonly granted: boolean;
}

function isMessage<T extends { chronicle: string }>(
  value: unknown,
  kind: T['chronicle'],
): value is T {
  return typeof value === 'object' && value !== null && (value as T).chronicle === kind;
}

/** A worker's side: asks the supervisor for each slot. */
class SupervisedStreamSlots implements StreamSlots {
  private nextId = 1;
  private readonly waiting = new Map<number, (granted: boolean) => void>();
  private readonly local = new LocalStreamSlots();

  constructor() {
    process.on('message', (message: unknown) => {
      if (!isMessage<AnswerMessage>(message, 'stream-slot-answer')) return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      waiter?.(message.granted);
    });
    // The supervisor is gone (this worker is about to exit too): nobody will answer.
    process.on('disconnect', () => {
      for (const waiter of this.waiting.values()) waiter(false);
      this.waiting.clear();
    });
  }

  take(userId: string): Promise<ReleaseSlot | null> {
    // Without the channel this worker is on its way out; it counts alone meanwhile.
    if (!process.connected) return this.local.take(userId);
    const id = this.nextId++;
    const message: TakeMessage = { chronicle: 'stream-slot-take', id, userId };
    return new Promise((resolve) => {
      this.waiting.set(id, (granted) => resolve(granted ? this.releaser(id) : null));
      process.send?.(message, undefined, undefined, (error: Error | null) => {
        if (!error) return;
        this.waiting.delete(id);
        resolve(null);
      });
    });
  }

  private releaser(id: number): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const message: ReleaseMessage = { chronicle: 'stream-slot-release', id };
      // If the channel is gone, so is this worker's every slot: the supervisor dropped them.
      if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
    };
  }
}

const globalForSlots = globalThis as unknown as { chronicleStreamSlots?: StreamSlots };

/** This process's slots: the supervisor's in a worker of a server that shares them, else its own. */
export function processStreamSlots(): StreamSlots {
  globalForSlots.chronicleStreamSlots ??=
    cluster.isWorker && process.env[SHARED_STREAM_SLOTS_ENV] === 'on'
      ? new SupervisedStreamSlots()
      : new LocalStreamSlots();
  return globalForSlots.chronicleStreamSlots;
}

/** The supervisor's side: counts every worker's streams, and frees a worker's when it exits. */
export function serveStreamSlots(): void {
  const ledger = new SlotLedger();
  const max = maxStreamsPerUser();
  cluster.on('message', (worker, message: unknown) => {
    if (isMessage<ReleaseMessage>(message, 'stream-slot-release')) {
      ledger.release(worker.id, message.id);
      return;
    }
    if (!isMessage<TakeMessage>(message, 'stream-slot-take')) return;
    // A request read after its worker exited would hold a slot nobody gives back.
    if (worker.isDead()) return;
    const granted = ledger.take(worker.id, message.id, message.userId, max);
    const answer: AnswerMessage = { chronicle: 'stream-slot-answer', id: message.id, granted };
    if (worker.isConnected()) worker.send(answer);
    // A worker gone before hearing the answer took its slots with it (the exit below).
  });
  cluster.on('exit', (worker) => ledger.dropHolder(worker.id));
}
