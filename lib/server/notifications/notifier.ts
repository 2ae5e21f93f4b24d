// Wake-ups after commits. A notification only says "the log has grown, up to about here"; it
// carries no event and promises no delivery. Readers always fetch from their own durable
// checkpoint (see ../event-store/read-global-log.ts) and also poll on a timer, so a lost,
// duplicated or late notification delays a reader but never makes it miss an event.
//
// With REDIS_URL set, wake-ups go through Redis pub/sub and reach every app instance. Without it,
// a server running several workers (scripts/serve.ts, WEB_CONCURRENCY) sends them through
// PostgreSQL's LISTEN/NOTIFY so they reach every worker; a single process keeps them in-process.

import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { getDatabaseListener, type DatabaseListener } from '../db/database-listener';
import { getPool } from '../db/pool';
import { errorMessage, logLine } from '../log';

export type WakeUpListener = (globalPosition: bigint) => void;

export interface Notifier {
  readonly kind: 'redis' | 'postgres' | 'in-process';
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

/** PostgreSQL's NOTIFY carries the wake-ups: every process listening on the database hears them. */
export class PostgresNotifier implements Notifier {
  readonly kind = 'postgres';
  private readonly local = new InProcessNotifier();
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly listener: DatabaseListener,
    private readonly publishQuery: (position: string) => Promise<unknown>,
  ) {}

  async publish(globalPosition: bigint): Promise<void> {
    await this.publishQuery(globalPosition.toString());
  }

  subscribe(listener: WakeUpListener): () => void {
    this.unlisten ??= this.listener.on(POSTGRES_WAKE_UP_CHANNEL, (payload) => {
      if (/^\d+$/.test(payload)) void this.local.publish(BigInt(payload));
    });
    return this.local.subscribe(listener);
  }

  async ping(): Promise<void> {
    await this.listener.connect();
    if (!this.listener.isListening()) throw new Error('not listening');
  }

  /** Resolves once this process listens (or the attempt failed). */
  async ready(): Promise<void> {
    await this.listener.connect();
  }

  async close(): Promise<void> {
    this.unlisten?.();
    await this.local.close();
  }
}

export const POSTGRES_WAKE_UP_CHANNEL = 'chronicle_events_appended';

const globalForNotifier = globalThis as unknown as { chronicleNotifier?: Notifier };

export function getNotifier(): Notifier {
  if (!globalForNotifier.chronicleNotifier) {
    const url = process.env.REDIS_URL;
    const listener = getDatabaseListener();
    globalForNotifier.chronicleNotifier = url
      ? new RedisNotifier(url)
      : process.env.CHRONICLE_CLUSTERED === 'on' && listener
        ? new PostgresNotifier(listener, (position) =>
            getPool().query(`SELECT pg_notify('${POSTGRES_WAKE_UP_CHANNEL}', $1)`, [position]),
          )
        : new InProcessNotifier();
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
