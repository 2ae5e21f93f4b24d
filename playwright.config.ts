// Browser and HTTP contract tests against the real production server (Chronicle's HTTP server,
// scripts/serve.ts, as `npm start` runs it), in Debian's Chromium. Run through `npm test` (or
// `npm run test:e2e`), which prepares the database and the build and passes E2E_DATABASE_URL.

import { defineConfig } from '@playwright/test';
import path from 'node:path';
import { HEADLESS_CHROMIUM_ARGS } from './scripts/lib/chromium';
import {
  E2E_CHECKPOINT_DIR,
  E2E_PORT,
  E2E_SECOND_PORT,
  E2E_SIGNING_KEY,
  E2E_TRUSTED_PROXIES,
} from './e2e/support/ports';

const databaseUrl = process.env.E2E_DATABASE_URL;
if (!databaseUrl)
  throw new Error('E2E_DATABASE_URL is not set: run the browser tests with `npm run test:e2e`.');

const serverEnv = (port: number) => ({
  ...(process.env as Record<string, string>),
  PORT: String(port),
  // The second instance stands behind a (pretend) proxy on this machine: it believes the
  // X-Forwarded-For that local requests send, so sign-in tests can come from many addresses. The
  // first trusts no proxy, as a server without TRUSTED_PROXIES does.
  TRUSTED_PROXIES: port === E2E_SECOND_PORT ? E2E_TRUSTED_PROXIES : '',
  DATABASE_URL: databaseUrl,
  NEXTAUTH_URL: `http://localhost:${port}`,
  NEXTAUTH_SECRET: 'e2e-secret-not-for-production-0123456789',
  NEXT_TELEMETRY_DISABLED: '1',
  // One process each: these servers' tests are about what the app does; e2e/api/cluster.spec.ts
  // starts a server of several workers (what `npm start` runs) and tests what that changes.
  WEB_CONCURRENCY: '1',
  // Live streams re-check their user every second here (30 s by default), so the test of a
  // disabled user's stream being cut off stays quick.
  CHRONICLE_STREAM_RECHECK_MS: '1000',
  // Checkpoints sealed within half a second, signed with the e2e key, each instance keeping its
  // own file.
  CHRONICLE_SIGNING_KEY: E2E_SIGNING_KEY,
  CHRONICLE_CHECKPOINT_INTERVAL_MS: '500',
  CHRONICLE_CHECKPOINT_DIR: path.join(E2E_CHECKPOINT_DIR, String(port)),
  // Four eyes above 1,000,000.00 and for corrections and admin grants; freezes and write-offs
  // run alone here (their approval is tested against the database), so the suites that freeze
  // and write off test what they are about.
  CHRONICLE_APPROVAL_POLICY: path.join('e2e', 'support', 'approval-policy.json'),
});

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: HEADLESS_CHROMIUM_ARGS,
    },
  },
  webServer: [E2E_PORT, E2E_SECOND_PORT].map((port) => ({
    command: 'node_modules/.bin/tsx scripts/serve.ts',
    url: `http://localhost:${port}/api/health`,
    env: serverEnv(port),
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  })),
});
