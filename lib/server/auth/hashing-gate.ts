// A bound on concurrent password checks. Each argon2 verification takes 19 MiB and tens of
// milliseconds of a core; without a bound, a flood of sign-ins with random emails (each verified
// against a decoy hash, so timing does not reveal which emails exist) would queue without end
// and starve everything else. A few run at once, a few more may wait briefly, and the rest are
// turned away at once (the caller answers 429 with Retry-After).

import { availableParallelism } from 'node:os';

export interface GateLimits {
  readonly maxRunning: number;
  readonly maxWaiting: number;
  readonly maxWaitMs: number;
}

export type GateOutcome<T> =
  { readonly isAdmitted: true; readonly value: T } | { readonly isAdmitted: false };

interface Waiter {
  admit(): void;
  timer: ReturnType<typeof setTimeout>;
}

export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: GateLimits) {}

  /** Runs `work` once a place is free; turned away when too many wait or the wait is too long. */
  async run<T>(work: () => Promise<T>): Promise<GateOutcome<T>> {
    if (!(await this.enter())) return { isAdmitted: false };
    try {
      return { isAdmitted: true, value: await work() };
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<boolean> {
    if (this.running < this.limits.maxRunning) {
      this.running += 1;
      return Promise.resolve(true);
    }
    if (this.waiting.length >= this.limits.maxWaiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        // The leaving task hands its place over, so `running` does not change.
        admit: () => {
          clearTimeout(waiter.timer);
          resolve(true);
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          resolve(false);
        }, this.limits.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next.admit();
    else this.running -= 1;
  }
}

const CORES = availableParallelism();

/** Two checks per core run at once; four times as many may wait up to two seconds. */
export const PASSWORD_CHECK_LIMITS: GateLimits = {
  maxRunning: 2 * CORES,
  maxWaiting: 8 * CORES,
  maxWaitMs: 2_000,
};

/** When turned away, try again after this long. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

const globalForGate = globalThis as unknown as { chroniclePasswordCheckGate?: ConcurrencyGate };

/** The process-wide gate (kept on globalThis: Next.js may load this module once per route bundle). */
export function passwordCheckGate(): ConcurrencyGate {
  globalForGate.chroniclePasswordCheckGate ??= new ConcurrencyGate(PASSWORD_CHECK_LIMITS);
  return globalForGate.chroniclePasswordCheckGate;
}
