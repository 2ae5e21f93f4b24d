// One PostgreSQL connection per process that LISTENs, shared by everything that wants to hear of
// changes made by other processes: cached credentials to forget (../api-keys/api-key-cache.ts)
// and, when the app runs as several workers without Redis, wake-ups after commits
// (../notifications/notifier.ts). PostgreSQL delivers a NOTIFY to every listening session when
// the notifying transaction commits, so it works across workers and across machines alike.
//
// A listener that is not connected hears nothing, so whoever relies on it asks `isListening()`
// and is told of every (re)connection: whatever was cached while deaf must be forgotten then.
// (LISTEN needs a session: behind a transaction-pooling PgBouncer, point DATABASE_URL at
// PostgreSQL itself.)

import pg from 'pg';
import { errorMessage, logLine } from '../log';

type ChannelHandler = (payload: string) => void;

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

export class DatabaseListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private listening = false;
  private closed = false;
  private retryMs = RECONNECT_MIN_MS;
  private readonly channels = new Map<string, Set<ChannelHandler>>();
  private readonly resetHandlers = new Set<() => void>();

  constructor(private readonly connectionString: string) {}

  /** Whether notifications reach this process now. */
  isListening(): boolean {
    return this.listening;
  }

  /** Calls `handler` with every NOTIFY payload on `channel`; returns the unsubscribe function. */
  on(channel: string, handler: ChannelHandler): () => void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let handlers = this.channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.channels.set(channel, handlers);
      if (this.listening) void this.client?.query(`LISTEN ${channel}`).catch(() => undefined);
    }
    handlers.add(handler);
    void this.connect();
    return () => handlers.delete(handler);
  }

  /** Calls `handler` whenever the connection is made or lost: notifications may have been missed. */
  onReset(handler: () => void): () => void {
    this.resetHandlers.add(handler);
    void this.connect();
    return () => this.resetHandlers.delete(handler);
  }

  /** Connects unless connected or connecting; resolves when listening (or the attempt failed). */
  connect(): Promise<void> {
    if (this.closed || this.client) return this.connecting ?? Promise.resolve();
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'chronicle-listener',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      for (const handler of this.channels.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          logLine('warn', 'a notification handler failed', { error: errorMessage(error) });
        }
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    this.connecting = (async () => {
      try {
        await client.connect();
        for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
        if (this.client !== client) return;
        this.listening = true;
        this.retryMs = RECONNECT_MIN_MS;
        this.reset();
      } catch (error) {
        this.lost(client, error);
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    const wasListening = this.listening;
    this.listening = false;
    this.reset();
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (wasListening)
      logLine('warn', 'database listener lost its connection; reconnecting', {
        error: errorMessage(error),
      });
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }

  private reset(): void {
    for (const handler of this.resetHandlers) handler();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    const client = this.client;
    this.client = undefined;
    this.reset();
    await client?.end().catch(() => undefined);
  }
}

const globalForListener = globalThis as unknown as { chronicleListener?: DatabaseListener | null };

/** The process's listener on DATABASE_URL, or null when there is no database configured. */
export function getDatabaseListener(): DatabaseListener | null {
  if (globalForListener.chronicleListener === undefined) {
    const url = process.env.DATABASE_URL;
    globalForListener.chronicleListener = url ? new DatabaseListener(url) : null;
  }
  return globalForListener.chronicleListener;
}
