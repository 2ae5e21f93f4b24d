// Demo mode (npm start without DATABASE_URL): a persistent random session secret, a checkpoint
// signing key, and three demo users (admin, support, auditor) with random passwords, all kept in
// .data/; the passwords and the public key are printed at every start.
// Never used when DATABASE_URL is set.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Role } from '../../lib/auth/permissions';
import type { Pool } from '../../lib/server/db/pool';
import { DATA_DIR } from '../../lib/server/db/resolve-database';
import { publicJwk } from '../../lib/evidence/checkpoint';
import { persistentSigningKeyPem, signingKeyFrom } from '../../lib/server/checkpoints/signing-key';
import { createUser } from '../../lib/server/users/create-user';
import { setUserPassword } from '../../lib/server/users/set-user-password';

const DEMO_USERS: Array<{ email: string; name: string; role: Role }> = [
  { email: 'admin@chronicle.demo', name: 'Ada Admin', role: 'admin' },
  { email: 'support@chronicle.demo', name: 'Sam Support', role: 'support' },
  { email: 'auditor@chronicle.demo', name: 'Audrey Auditor', role: 'auditor' },
];

async function persistentSecret(file: string, bytes: number): Promise<string> {
  if (!existsSync(file))
    await writeFile(file, randomBytes(bytes).toString('base64url'), { mode: 0o600 });
  return (await readFile(file, 'utf8')).trim();
}

export async function prepareDemoMode(options: {
  db: Pool;
  port: string;
  log: (message: string) => void;
}): Promise<Record<string, string>> {
  const secret =
    process.env.NEXTAUTH_SECRET ?? (await persistentSecret(path.join(DATA_DIR, 'auth-secret'), 32));
  const passwordsFile = path.join(DATA_DIR, 'demo-users.json');
  const passwords: Record<string, string> = existsSync(passwordsFile)
    ? JSON.parse(await readFile(passwordsFile, 'utf8'))
    : {};
  for (const user of DEMO_USERS) {
    passwords[user.email] ??= randomBytes(12).toString('base64url');
    const existing = await options.db.query('SELECT 1 FROM users WHERE email = $1', [user.email]);
    if (existing.rowCount)
      await setUserPassword({ email: user.email, password: passwords[user.email] as string });
    else
      await createUser({
        input: { ...user, password: passwords[user.email] as string },
        actor: 'system:demo',
      });
  }
  await writeFile(passwordsFile, JSON.stringify(passwords, null, 2), { mode: 0o600 });

  const width = Math.max(...DEMO_USERS.map((user) => user.email.length));
  options.log(
    'demo mode: sign in at http://localhost:' +
      options.port +
      '/login with one of these (demo only, stored in .data/demo-users.json):',
  );
  for (const user of DEMO_USERS) {
    options.log(`  ${user.role.padEnd(8)} ${user.email.padEnd(width)}  ${passwords[user.email]}`);
  }
  const signingKey =
    process.env.CHRONICLE_SIGNING_KEY ??
    (await persistentSigningKeyPem(path.join(DATA_DIR, 'signing-key.pem')));
  const { publicKey } = signingKeyFrom(signingKey);
  options.log(
    `demo mode: checkpoints and statements are signed with the key in .data/signing-key.pem; its public key (also at /api/v1/checkpoints/public-key): ${JSON.stringify(publicJwk(publicKey))}`,
  );
  return { NEXTAUTH_SECRET: secret, CHRONICLE_DEMO_MODE: '1', CHRONICLE_SIGNING_KEY: signingKey };
}
