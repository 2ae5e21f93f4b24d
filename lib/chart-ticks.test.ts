import { describe, expect, it } from 'vitest';
import { yAxisTicks } from './chart-ticks';

describe('y-axis ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten, from zero to at least the maximum', () => {
    expect(yAxisTicks(100_000n)).toEqual([0n, 50_000n, 100_000n]);
    expect(yAxisTicks(123_456n)).toEqual([0n, 50_000n, 100_000n, 150_000n]);
    expect(yAxisTicks(7n)).toEqual([0n, 2n, 4n, 6n, 8n]);
    expect(yAxisTicks(1n)).toEqual([0n, 1n]);
  });

  it('draws an axis for an empty balance, and stays exact beyond what a float holds', () => {
    expect(yAxisTicks(0n)).toEqual([0n, 1n]);
    const huge = 9_000_000_000_000_000_001n;
    const ticks = yAxisTicks(huge);
    expect(ticks.length).toBeLessThanOrEqual(5);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(huge);
    expect(ticks[ticks.length - 2]).toBeLessThan(huge);
  });
});
