import { describe, expect, it } from 'vitest';
import { webConcurrency } from './web-concurrency';

describe('WEB_CONCURRENCY', () => {
  it('is one worker per core when unset or blank', () => {
    expect(webConcurrency(undefined, 4)).toBe(4);
    expect(webConcurrency('  ', 2)).toBe(2);
  });

  it('takes a whole number from 1 to 64', () => {
    expect(webConcurrency('1', 8)).toBe(1);
    expect(webConcurrency(' 3 ', 8)).toBe(3);
    expect(webConcurrency('64', 8)).toBe(64);
  });

  it('refuses anything else with a message that says what it wants', () => {
    for (const value of ['0', '65', '-1', '1.5', 'two', '2e1'])
      expect(() => webConcurrency(value, 2), value).toThrow(/whole number of worker processes/);
  });
});
