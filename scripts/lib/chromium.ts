// Finds Chromium for the browser tests, installing Debian's package when we are root on a Debian
// machine without it. Playwright's own browser download is unreachable here, by design.

import { existsSync } from 'node:fs';
import { log } from './cli-log';
import { run } from './run';

/** How Chronicle runs Chromium headless here: no sandbox (root), no GPU, nothing from the network. */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];
export const CHROMIUM_INSTALL_HINT =
  'Chromium is required for the browser tests: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH to a Chromium or Chrome binary).';

function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((candidate) => existsSync(candidate));
}

export async function ensureChromium(): Promise<string> {
  const found = findChromium();
  if (found) return found;
  const canInstall =
    process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH;
  if (canInstall) {
    log("Chromium not found: installing Debian's chromium package");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let code = await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      env,
    });
    if (code !== 0) {
      await run('apt-get', ['update'], { env });
      code = await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
        env,
      });
    }
    const installed = findChromium();
    if (code === 0 && installed) return installed;
  }
  throw new Error(CHROMIUM_INSTALL_HINT);
}
