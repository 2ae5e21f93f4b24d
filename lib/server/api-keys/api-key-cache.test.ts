import { describe, expect, it } from 'vitest';
import { ApiKeyCache } from './api-key-cache';

function cacheListening(listening: { now: boolean }) {
  return new ApiKeyCache<string>({ isListening: () => listening.now });
}

describe('the API key cache', () => {
  it('answers only while its process listens for credential changes', () => {
    const listening = { now: true };
    const cache = cacheListening(listening);
    cache.set('h', 'caller', { generation: cache.currentGeneration(), now: 0, expiresAt: null });
    expect(cache.get('h', 1)).toBe('caller');
    listening.now = false;
    expect(cache.get('h', 2)).toBeUndefined();
    cache.set('g', 'other', { generation: cache.currentGeneration(), now: 2, expiresAt: null });
    listening.now = true;
    expect(cache.get('g', 3)).toBeUndefined();
  });

  it('never stores what a lookup read before a change was announced', () => {
    const cache = cacheListening({ now: true });
    const generation = cache.currentGeneration();
    cache.forgetAll(); // a revocation announced while the lookup was in flight
    cache.set('h', 'stale', { generation, now: 0, expiresAt: null });
    expect(cache.get('h', 1)).toBeUndefined();
  });

  it('forgets a key at its own expiry, and everything after a minute at most', () => {
    const cache = cacheListening({ now: true });
    const generation = cache.currentGeneration();
    cache.set('short', 'a', { generation, now: 0, expiresAt: 1_000 });
    cache.set('long', 'b', { generation, now: 0, expiresAt: null });
    expect(cache.get('short', 999)).toBe('a');
    expect(cache.get('short', 1_000)).toBeUndefined();
    expect(cache.get('long', 60_000)).toBe('b');
    expect(cache.get('long', 60_001)).toBeUndefined();
  });

  it('forgets everything when told', () => {
    const cache = cacheListening({ now: true });
    cache.set('h', 'caller', { generation: cache.currentGeneration(), now: 0, expiresAt: null });
    cache.forgetAll();
    expect(cache.get('h', 1)).toBeUndefined();
  });
});
