// Progress of long work (loading a million events, seeding, importing) on a terminal: one line,
// rewritten in place at most four times a second, with the count, the rate and the time left.
// Where nobody watches — CI logs, output piped to a file — it stays quiet: the caller logs its
// own summary line when the work is done.

export interface Progress {
  /** Records that `done` items of the total are finished. */
  update(done: number): void;
  /** Clears the line (the caller then logs its summary). */
  finish(): void;
}

export interface ProgressTerminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 250;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${whole}s`;
}

/** The line shown for `done` of `total` after `elapsedMs`. */
export function progressLine(label: string, done: number, total: number | null, elapsedMs: number) {
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const count =
    total === null
      ? done.toLocaleString('en-US')
      : `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} (${Math.floor((done / Math.max(total, 1)) * 100)}%)`;
  const eta = total !== null && rate > 0 ? `, ${formatDuration((total - done) / rate)} left` : '';
  return `${label}: ${count}, ${Math.round(rate).toLocaleString('en-US')}/s${eta}`;
}

/**
 * A progress line on `terminal` (stderr by default) when it is an interactive terminal and CI is
 * not set; otherwise a progress that says nothing.
 */
export function startProgress(
  label: string,
  total: number | null,
  options: { terminal?: ProgressTerminal; now?: () => number; env?: NodeJS.ProcessEnv } = {},
): Progress {
  const terminal = options.terminal ?? process.stderr;
  const env = options.env ?? process.env;
  if (!terminal.isTTY || env.CI) return { update: () => undefined, finish: () => undefined };
  const now = options.now ?? Date.now;
  const started = now();
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    update(done) {
      const at = now();
      if (at - drawnAt < REDRAW_MS && done !== total) return;
      drawnAt = at;
      const line = progressLine(label, done, total, at - started);
      terminal.write(`\r${line.slice(0, (terminal.columns ?? 120) - 1)}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) terminal.write('\r\x1b[K');
    },
  };
}
