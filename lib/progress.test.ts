import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine, startProgress } from './progress';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, columns: 200, write: (text: string) => written.push(text) };
}

describe('progress of long work', () => {
  it('says how many, how fast and how long is left', () => {
    expect(progressLine('loading events', 250_000, 1_000_000, 10_000)).toBe(
      'loading events: 250,000 / 1,000,000 (25%), 25,000/s, 30s left',
    );
    expect(progressLine('importing', 1_200, null, 2_000)).toBe('importing: 1,200, 600/s');
    expect(formatDuration(3_725)).toBe('1h 02m');
    expect(formatDuration(75)).toBe('1m 15s');
  });

  it('redraws one line on a terminal, at most four times a second, and clears it at the end', () => {
    const out = terminal(true);
    let clock = 0;
    const progress = startProgress('loading', 100, {
      terminal: out,
      now: () => clock,
      env: {} as NodeJS.ProcessEnv,
    });
    clock = 100;
    progress.update(10);
    clock = 200;
    progress.update(20); // too soon: not drawn
    clock = 400;
    progress.update(40);
    progress.finish();
    expect(out.written).toHaveLength(3);
    expect(out.written[0]).toMatch(/^\rloading: 10 \/ 100 \(10%\)/);
    expect(out.written[1]).toMatch(/^\rloading: 40 \/ 100/);
    expect(out.written[2]).toBe('\r\x1b[K');
  });

  it('stays quiet in CI and when the output is not a terminal', () => {
    const cases: Array<[ReturnType<typeof terminal>, NodeJS.ProcessEnv]> = [
      [terminal(false), {} as NodeJS.ProcessEnv],
      [terminal(true), { CI: 'true' } as unknown as NodeJS.ProcessEnv],
    ];
    for (const [out, env] of cases) {
      const progress = startProgress('loading', 10, { terminal: out, now: () => 1_000, env });
      progress.update(5);
      progress.finish();
      expect(out.written).toEqual([]);
    }
  });
});
