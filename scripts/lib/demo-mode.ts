// Demo mode (npm start without DATABASE_URL): a persistent random session secret under .data/
// so sign-ins survive restarts. Demo users are added by the web app's sign-in issue.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from '../../lib/server/db/pool';
import { DATA_DIR } from '../../lib/server/db/resolve-database';

export async function prepareDemoMode(options: { db: Pool; port: string }): Promise<Record<string, string>> {
  void options;
  const secretFile = path.join(DATA_DIR, 'auth-secret');
  let secret = process.env.NEXTAUTH_SECRET;
  if (!secret) {
    if (!existsSync(secretFile)) await writeFile(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
    secret = (await readFile(secretFile, 'utf8')).trim();
  }
  return { NEXTAUTH_SECRET: secret };
}
