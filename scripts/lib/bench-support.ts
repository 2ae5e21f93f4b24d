// What the benchmarks share: percentiles, timed loops of concurrent callers, the printed table,
// the JSON report, and a scratch database of their own on the server they measure.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../lib/server/db/apply-migrations';
import { databaseUrlFor } from '../../test/database-url';

/** The value of `--name=value` on the command line, if given. */
export function commandLineOption(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs `work` from `callers` concurrent loops for `seconds`; returns successful operations per
 * second (work answers false for an operation the ledger refused).
 */
export async function throughput(
  callers: number,
  seconds: number,
  work: (caller: number) => Promise<boolean>,
): Promise<{ perSecond: number; ok: number; refused: number }> {
  let ok = 0;
  let refused = 0;
  const deadline = Date.now() + seconds * 1000;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      while (Date.now() < deadline) {
        if (await work(caller)) ok += 1;
        else refused += 1;
      }
    }),
  );
  return { perSecond: ok / (elapsedMs(start) / 1000), ok, refused };
}

/** "✔" or "✘" after a target, so a reader sees at once which were met. */
export function met(condition: boolean): string {
  return condition ? '✔' : '✘';
}

/** Prints rows as a table; the first row is the header. */
export function printTable(rows: ReadonlyArray<readonly string[]>): void {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  console.log('');
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  │  '));
    if (index === 0) console.log(widths.map((width) => '─'.repeat(width)).join('──┼──'));
  }
  console.log('');
}

/** Prints the table with a last row counting the invariant violations, then lists them. */
export function printResults(
  rows: ReadonlyArray<readonly string[]>,
  violations: readonly string[],
) {
  const columns = rows[0]?.length ?? 2;
  printTable([
    ...rows,
    [
      'invariant violations',
      String(violations.length),
      ...Array<string>(Math.max(0, columns - 3)).fill(''),
      `0 ${met(violations.length === 0)}`,
    ],
  ]);
  for (const violation of violations) console.log(`  violation: ${violation}`);
}

/** Writes the report to bench-results/<name>-<measuredAt>.json and returns the file's path. */
export async function writeReport(
  name: string,
  report: { measuredAt: string } & Record<string, unknown>,
): Promise<string> {
  await mkdir('bench-results', { recursive: true });
  const file = path.join(
    'bench-results',
    `${name}-${report.measuredAt.replace(/[:.]/g, '-')}.json`,
  );
  await writeFile(
    file,
    `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`,
  );
  return file;
}

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (unless kept), and closes the connection that made it. */
  drop(options?: { keep?: boolean }): Promise<void>;
}

/** A new, migrated database named `<prefix>_<ms>` on the server behind `serverUrl`. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = databaseUrlFor(serverUrl, name);
  await migrate({ connectionString: url });
  return {
    name,
    url,
    drop: async (options) => {
      if (!options?.keep)
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}
