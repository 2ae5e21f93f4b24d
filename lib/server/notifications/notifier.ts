// Wake-ups after commits. A notification only says "the log has grown, up to about here"; it
// carries no event and promises no delivery. Readers always fetch from their own durable
// checkpoint (see ../event-store/read-global-log.ts) and also poll on a timer, so a lost,
// duplicated or late notification delays a reader but never makes it miss an event.
//
// With REDIS_URL set, wake-ups go through Redis pub/sub and reach every app instance; without
// it, they stay inside this process.

import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { errorMessage, logLine } from '../log';

export type WakeUpListener = (globalPosition: bigint) => void;

export interface Notifier {
  readonly kind: 'redis' | 'in-process';
  publish(globalPosition: bigint): Promise<void>;
  subscribe(listener: WakeUpListener): () => void;
  /** Resolves when the transport answers; rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const WAKE_UP_CHANNEL = 'chronicle:events:appended';

export class InProcessNotifier implements Notifier {
  readonly kind = 'in-process';
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open live-update stream is a listener; there may be many.
    this.emitter.setMaxListeners(0);
  }

  async publish(globalPosition: bigint): Promise<void> {
    this.emitter.emit('wake', globalPosition);
  }

  subscribe(listener: WakeUpListener): () => void {
    this.emitter.on('wake', listener);
    return () => this.emitter.off('wake', listener);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

export class RedisNotifier implements Notifier {
  readonly kind = 'redis';
  private readonly publisher: Redis;
  private subscriber: Redis | undefined;
  private subscribed: Promise<unknown> = Promise.resolve();
  private readonly local = new InProcessNotifier();

  constructor(private readonly url: string) {
    this.publisher = RedisNotifier.connect(url);
  }

  private static connect(url: string): Redis {
    const client = new Redis(url, {
      // A wake-up that cannot be sent promptly is worthless: give up after one reconnection
      // attempt instead of queueing commands for ever.
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
    });
    client.on('error', (error: Error) => {
      logLine('warn', 'redis connection problem', { error: error.message });
    });
    return client;
  }

  async publish(globalPosition: bigint): Promise<void> {
    await this.publisher.publish(WAKE_UP_CHANNEL, globalPosition.toString());
  }

  subscribe(listener: WakeUpListener): () => void {
    if (!this.subscriber) {
      const subscriber = RedisNotifier.connect(this.url);
      subscriber.on('message', (_channel: string, message: string) => {
        if (/^\d+$/.test(message)) void this.local.publish(BigInt(message));
      });
      this.subscribed = subscriber.subscribe(WAKE_UP_CHANNEL).catch((error: Error) => {
        logLine('warn', 'redis subscribe failed', { error: error.message });
      });
      this.subscriber = subscriber;
    }
    return this.local.subscribe(listener);
  }

  async ping(): Promise<void> {
    await this.publisher.ping();
  }

  /** Resolves once the subscription is active (or has failed and been logged). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  async close(): Promise<void> {
    await this.local.close();
    await Promise.allSettled([this.publisher.quit(), this.subscriber?.quit()]);
  }
}

const globalForNotifier = globalThis as unknown as { chronicleNotifier?: Notifier };

export function getNotifier(): Notifier {
  if (!globalForNotifier.chronicleNotifier) {
    const url = process.env.REDIS_URL;
    globalForNotifier.chronicleNotifier = url ? new RedisNotifier(url) : new InProcessNotifier();
  }
  return globalForNotifier.chronicleNotifier;
}

/**
 * Publishes a wake-up after a commit, without making the caller wait for it. Failure is logged
 * and swallowed: the commit stands, and readers catch up on their next poll.
 */
export function notifyCommitted(notifier: Notifier, globalPosition: bigint): void {
  notifier.publish(globalPosition).catch((error: unknown) => {
    logLine('warn', 'wake-up notification not sent; readers will catch up on their next poll', {
      error: errorMessage(error),
    });
  });
}
