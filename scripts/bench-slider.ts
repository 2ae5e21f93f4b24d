// npm run bench:slider — how quickly the time-travel slider shows the balance at a new instant,
// in the production build in Chromium (docs/decisions/015-instant-slider.md). Not a test: it
// prints a table and writes bench-results/slider-<timestamp>.json.
//
// It creates a scratch database with the demo data (the merchant settlement account has about
// 4,000 events) and an account of its own with 100,000 events (backdated corrections and holds
// among them), serves the build with Chronicle's server, signs in, and for each account measures
// arrow-key steps, clicks on the track and a drag: from the input event (its timeStamp) to the
// frame that shows the new headline (a MutationObserver on the summary, then the next
// requestAnimationFrame), and to the DOM update alone. For comparison it measures arrow-key steps
// on the old path too (the balance-history route blocked, so every step asks the server).
//
// Options: --events=N (default 100000), --steps=N per kind (default 60), --port=N (default
// 3190), --keep (keep the database).

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { processTree } from '../e2e/support/own-server';
import { hashPassword } from '../lib/server/auth/passwords';
import { createPool, type Pool } from '../lib/server/db/pool';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { importHistory, type HistoricalCommand } from '../lib/server/import/import-history';
import { InProcessNotifier } from '../lib/server/notifications/notifier';
import { DEMO_ACCOUNTS } from '../lib/server/seed/demo-history';
import { seedDemoData } from '../lib/server/seed/seed-demo-data';
import { ensureBuild } from './lib/build';
import { HEADLESS_CHROMIUM_ARGS } from './lib/chromium';
import {
  commandLineOption,
  createScratchDatabase,
  elapsedMs,
  met,
  percentile,
  printTable,
  writeReport,
  type ScratchDatabase,
} from './lib/bench-support';
import { log, reportFailure } from './lib/cli-log';

const argument = commandLineOption;
const EVENTS = Number(argument('events') ?? 100_000);
const STEPS = Number(argument('steps') ?? 60);
const PORT = Number(argument('port') ?? 3190);
const KEEP = process.argv.includes('--keep');
const TARGET_MS = 16;
const PASSWORD = 'bench slider password, not for production';

/** An account with EVENTS events: deposits and withdrawals, a correction every 500, holds. */
async function loadBigAccount(pool: Pool): Promise<string> {
  const accountId = `bench-slider-${randomBytes(3).toString('hex')}`;
  const start = Date.UTC(2025, 0, 1);
  const stepMs = 60_000;
  function* history(): Generator<HistoricalCommand> {
    yield {
      occurredAt: new Date(start),
      command: { type: 'open_account', accountId, ownerId: 'bench', currency: 'USD' },
    };
    let holdId = '';
    for (let index = 1; index < EVENTS; index += 1) {
      const occurredAt = new Date(start + index * stepMs);
      if (index % 500 === 499) {
        yield {
          occurredAt,
          command: {
            type: 'record_correction',
            accountId,
            kind: 'deposit',
            amount: '0.75',
            effectiveAt: new Date(occurredAt.getTime() - (index % 7) * 3_600_000).toISOString(),
            reason: 'bench',
          },
        };
      } else if (index >= 1_000 && index % 1_000 === 10) {
        holdId = randomUUID();
        yield {
          occurredAt,
          command: {
            type: 'place_hold',
            holdId,
            accountId,
            amount: '20.00',
            reason: 'card authorisation',
            reference: '',
            expiresAt: new Date(occurredAt.getTime() + 2 * 86_400_000),
          },
        };
      } else if (index >= 1_000 && index % 2_000 === 400) {
        yield { occurredAt, command: { type: 'capture_hold', holdId, accountId } };
      } else {
        yield {
          occurredAt,
          command:
            index % 4 === 0
              ? { type: 'withdraw', accountId, amount: '1.00', destination: '', reference: '' }
              : { type: 'deposit', accountId, amount: '2.50', source: '', reference: '' },
        };
      }
    }
  }
  await importHistory({
    commands: history(),
    actor: 'system:bench',
    batchSize: 5_000,
    db: pool,
    notifier: new InProcessNotifier(),
  });
  return accountId;
}

async function startServer(databaseUrl: string): Promise<ChildProcess> {
  const url = `http://localhost:${PORT}`;
  const child = spawn(path.join('node_modules', '.bin', 'tsx'), ['scripts/serve.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: randomBytes(32).toString('hex'),
      NEXT_TELEMETRY_DISABLED: '1',
      CHRONICLE_BACKGROUND_JOBS: 'off',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the server on port ${PORT} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Sample {
  /** Input event → the headline changed in the DOM. */
  readonly domMs: number;
  /** Input event → the animation frame after the change (the frame that paints it). */
  readonly frameMs: number;
  /** Painted in the first frame after the input. */
  readonly isFirstFrame: boolean;
}

/**
 * The in-page probe: arm() before an input, then await result. Plain JavaScript in a string: the
 * TypeScript runner would wrap named functions in a helper the page does not have.
 */
const PROBE_SOURCE = `(() => {
  const read = () => {
    const summary = document.querySelector('[data-testid="as-of-summary"]');
    const balance = summary?.querySelector('[data-testid="as-of-balance"]')?.textContent;
    const version = summary?.querySelector('[data-testid="as-of-version"]')?.textContent;
    return balance && version ? balance + '|' + version : null;
  };
  const probe = {
    result: Promise.resolve(null),
    arm() {
      const before = read();
      let inputAt = null;
      let inputFrame = null;
      const types = ['keydown', 'pointerdown', 'pointermove'];
      const onInput = (event) => {
        if (inputAt !== null) return;
        inputAt = event.timeStamp;
        requestAnimationFrame((frame) => (inputFrame = frame));
        for (const type of types) document.removeEventListener(type, onInput, true);
      };
      for (const type of types) document.addEventListener(type, onInput, true);
      const summary = document.querySelector('[data-testid="as-of-summary"]');
      probe.result = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const now = read();
          if (inputAt === null || now === null || now === before) return;
          const domAt = performance.now();
          observer.disconnect();
          clearTimeout(timer);
          const started = inputAt;
          requestAnimationFrame((frame) =>
            resolve({
              domMs: domAt - started,
              frameMs: performance.now() - started,
              isFirstFrame: frame === inputFrame,
            }),
          );
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          resolve(null);
        }, 5000);
        observer.observe(summary, { subtree: true, childList: true, characterData: true });
      });
    },
  };
  window.probe = probe;
})()`;

async function installProbe(page: Page) {
  await page.evaluate(PROBE_SOURCE);
}

async function measured(page: Page, input: () => Promise<void>): Promise<Sample | null> {
  await page.evaluate(() => (window as unknown as { probe: { arm(): void } }).probe.arm());
  await input();
  const sample = await page.evaluate(
    () => (window as unknown as { probe: { result: Promise<Sample | null> } }).probe.result,
  );
  await page.waitForTimeout(40);
  return sample;
}

async function openAccount(page: Page, accountId: string, isHistoryBlocked: boolean) {
  await page.goto(`/accounts/${encodeURIComponent(accountId)}`);
  const section = page.locator('section[aria-labelledby="time-travel-heading"]');
  if (!isHistoryBlocked) {
    const started = process.hrtime.bigint();
    await page.waitForFunction(
      () => {
        const loaded = document
          .querySelector('section[aria-labelledby="time-travel-heading"]')
          ?.getAttribute('data-history-windows');
        if (!loaded) return false;
        const [have, total] = loaded.split('/');
        return have === total;
      },
      undefined,
      { timeout: 120_000 },
    );
    log(`  the whole history loaded in the background in ${elapsedMs(started).toFixed(0)} ms`);
  }
  await installProbe(page);
  const slider = section.getByRole('slider');
  await slider.focus();
  await page.keyboard.press('End');
  await page.waitForFunction(() => new URL(location.href).searchParams.has('at'));
  await page.locator('[data-testid="as-of-balance"]').waitFor();
  return section;
}

async function measureKeys(page: Page, steps: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let index = 0; index < steps; index += 1) {
    const sample = await measured(page, () => page.keyboard.press('ArrowLeft'));
    if (sample) samples.push(sample);
  }
  return samples;
}

async function measureClicks(page: Page, steps: number): Promise<Sample[]> {
  const box = await page.getByTestId('time-travel-track').boundingBox();
  if (!box) throw new Error('no slider track');
  const samples: Sample[] = [];
  for (let index = 0; index < steps; index += 1) {
    const ratio = 0.03 + 0.94 * ((index * 0.618034) % 1);
    const sample = await measured(page, () =>
      page.mouse.click(box.x + box.width * ratio, box.y + box.height / 2),
    );
    if (sample) samples.push(sample);
  }
  return samples;
}

async function measureDrag(page: Page, steps: number): Promise<Sample[]> {
  const box = await page.getByTestId('time-travel-track').boundingBox();
  if (!box) throw new Error('no slider track');
  const y = box.y + box.height / 2;
  const xAt = (index: number) => box.x + box.width * (0.05 + (0.9 * index) / steps);
  await page.mouse.move(xAt(0), y);
  const samples: Sample[] = [];
  const first = await measured(page, () => page.mouse.down());
  if (first) samples.push(first);
  for (let index = 1; index <= steps; index += 1) {
    const sample = await measured(page, () => page.mouse.move(xAt(index), y));
    if (sample) samples.push(sample);
  }
  await page.mouse.up();
  return samples;
}

function summarize(samples: readonly Sample[]) {
  const frame = samples.map((sample) => sample.frameMs);
  const dom = samples.map((sample) => sample.domMs);
  return {
    count: samples.length,
    frameP50Ms: percentile(frame, 50),
    frameP90Ms: percentile(frame, 90),
    domP50Ms: percentile(dom, 50),
    domP90Ms: percentile(dom, 90),
    firstFrameShare: samples.filter((sample) => sample.isFirstFrame).length / (samples.length || 1),
  };
}

const database = await resolveDatabase(log).catch((error: unknown) => {
  reportFailure(error);
  process.exit(1);
});
let scratch: ScratchDatabase | undefined;
let pool: Pool | undefined;
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let exitCode = 0;
try {
  await ensureBuild();
  scratch = await createScratchDatabase(database.url, 'chronicle_bench_slider');
  pool = createPool(scratch.url, { max: 8, applicationName: 'chronicle-bench-slider' });
  log('loading the demo data…');
  await seedDemoData({ now: new Date(), db: pool });
  log(`loading an account with ${EVENTS.toLocaleString('en-US')} events…`);
  const loadStart = process.hrtime.bigint();
  const bigAccount = await loadBigAccount(pool);
  log(`loaded in ${(elapsedMs(loadStart) / 1000).toFixed(1)} s`);
  const email = `bench-slider-${randomBytes(3).toString('hex')}@bench.test`;
  await pool.query(
    "INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Bench Auditor', 'auditor', $2)",
    [email, await hashPassword(PASSWORD)],
  );
  const counts = await pool.query<{ id: string; version: number }>(
    'SELECT id, version FROM accounts WHERE id = ANY($1)',
    [[DEMO_ACCOUNTS.merchant, bigAccount]],
  );
  const eventsOf = (id: string) => counts.rows.find((row) => row.id === id)?.version ?? 0;

  log('starting the production server…');
  server = await startServer(scratch.url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: HEADLESS_CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    baseURL: `http://localhost:${PORT}`,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').waitFor();

  const results: Record<string, ReturnType<typeof summarize>> = {};
  for (const [label, accountId] of [
    ['demo merchant', DEMO_ACCOUNTS.merchant],
    ['bench account', bigAccount],
  ] as const) {
    const name = `${label} (${eventsOf(accountId).toLocaleString('en-US')} events)`;
    log(`measuring ${name}…`);
    await openAccount(page, accountId, false);
    results[`${name}: arrow keys`] = summarize(await measureKeys(page, STEPS));
    results[`${name}: clicks on the track`] = summarize(await measureClicks(page, STEPS));
    results[`${name}: drag`] = summarize(await measureDrag(page, STEPS));
  }
  log('measuring the old round-trip path (balance history blocked)…');
  await page.route('**/balance-history**', (route) => route.abort());
  await openAccount(page, DEMO_ACCOUNTS.merchant, true);
  const oldName = `demo merchant (${eventsOf(DEMO_ACCOUNTS.merchant).toLocaleString('en-US')} events): arrow keys, server round trip`;
  results[oldName] = summarize(await measureKeys(page, Math.min(STEPS, 30)));
  await browser.close();

  const rows: string[][] = [
    [
      'measure',
      'samples',
      'input → frame p50 / p90',
      'input → DOM p50 / p90',
      'in first frame',
      'target',
    ],
  ];
  for (const [name, result] of Object.entries(results)) {
    rows.push([
      name,
      String(result.count),
      `${result.frameP50Ms.toFixed(1)} / ${result.frameP90Ms.toFixed(1)} ms`,
      `${result.domP50Ms.toFixed(1)} / ${result.domP90Ms.toFixed(1)} ms`,
      `${(result.firstFrameShare * 100).toFixed(0)}%`,
      name.includes('round trip')
        ? 'baseline'
        : `p90 ≤ ${TARGET_MS} ms ${met(result.count > 0 && result.frameP90Ms <= TARGET_MS)}`,
    ]);
  }
  printTable(rows);
  const file = await writeReport('slider', {
    measuredAt: new Date().toISOString(),
    events: { merchant: eventsOf(DEMO_ACCOUNTS.merchant), bench: eventsOf(bigAccount) },
    stepsPerKind: STEPS,
    targetFrameP90Ms: TARGET_MS,
    results,
  });
  log(`wrote ${file}`);
} catch (error) {
  reportFailure(error);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  // The server and every process it started (tsx runs Node.js in a child of its own).
  for (const pid of server?.pid === undefined ? [] : processTree(server.pid).reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await pool?.end().catch(() => undefined);
  await scratch?.drop({ keep: KEEP });
  await database.release();
}
process.exit(exitCode);
