// Keys checked recently, so a busy integrator's requests do not each cost a database round trip.
// Revocation stays immediate: a key is revoked, expired early or loses its owner through a row
// change that a trigger announces on `chronicle_credentials` (migration
// 20261130010000_credential_change_notices), and every process forgets everything it cached when
// it hears that. The cache is only used while this process is listening: a process that could
// miss an announcement (connection lost, not yet connected) asks the database every time, and
// forgets everything on reconnecting. In the process that made the change, the change's own code
// forgets at once (forgetCachedApiKeys), without waiting for the notice to come back.
//
// A lookup that started before an announcement must not store what it read: the generation
// counter tells, so a revocation committed while a lookup was in flight is never cached over.

import { getDatabaseListener, type DatabaseListener } from '../db/database-listener';

export const CREDENTIALS_CHANNEL = 'chronicle_credentials';

/** Even without a notice, nothing is trusted longer than this (a safety net, not the mechanism). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  readonly value: T;
  readonly cachedAt: number;
  /** When the key itself expires (ms since the epoch), or null. */
  readonly expiresAt: number | null;
}

export class ApiKeyCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private generation = 0;

  constructor(private readonly listener: Pick<DatabaseListener, 'isListening'> | null) {}

  /** Whether answers may come from the cache now. */
  isTrusted(): boolean {
    return this.listener?.isListening() ?? false;
  }

  /** The cached caller for this key hash, if the cache may answer and still holds a live entry. */
  get(keyHash: string, now: number): T | undefined {
    if (!this.isTrusted()) return undefined;
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (now - entry.cachedAt > MAX_AGE_MS || (entry.expiresAt !== null && entry.expiresAt <= now)) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.value;
  }

  /** The generation to hand back to `set`: taken before reading the database. */
  currentGeneration(): number {
    return this.generation;
  }

  set(
    keyHash: string,
    value: T,
    options: { generation: number; now: number; expiresAt: number | null },
  ): void {
    if (!this.isTrusted() || options.generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(keyHash, { value, cachedAt: options.now, expiresAt: options.expiresAt });
  }

  forgetAll(): void {
    this.generation += 1;
    this.entries.clear();
  }
}

interface CachedCaller {
  readonly value: unknown;
}

const globalForCache = globalThis as unknown as {
  chronicleApiKeyCache?: ApiKeyCache<CachedCaller>;
};

/** The process's cache, subscribed to credential notices (created on first use). */
export function processApiKeyCache<T>(): ApiKeyCache<T> {
  if (!globalForCache.chronicleApiKeyCache) {
    const listener = process.env.CHRONICLE_API_KEY_CACHE === 'off' ? null : getDatabaseListener();
    const cache = new ApiKeyCache<CachedCaller>(listener);
    listener?.on(CREDENTIALS_CHANNEL, () => cache.forgetAll());
    listener?.onReset(() => cache.forgetAll());
    globalForCache.chronicleApiKeyCache = cache;
  }
  return globalForCache.chronicleApiKeyCache as unknown as ApiKeyCache<T>;
}

/** Forgets every cached key in this process: called by whatever changed a key or its owner. */
export function forgetCachedApiKeys(): void {
  globalForCache.chronicleApiKeyCache?.forgetAll();
}
