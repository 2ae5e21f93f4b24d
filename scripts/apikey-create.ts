// npm run apikey:create -- --name <name> --role admin|support|auditor
// Prints a description, then the new key alone on the last line (so `| tail -1` captures it).
// The key is shown only now; Chronicle stores only its hash.

import { parseArgs } from 'node:util';
import { migrate } from '../lib/server/db/migrate';
import { closeGlobalDatabase } from '../lib/server/db/pool';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { createApiKey } from '../lib/server/api-keys/create-api-key';
import { log, reportFailure } from './lib/log';

try {
  const { values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' } }, strict: true });
  if (!values.name || !values.role) throw new Error('Usage: npm run apikey:create -- --name <name> --role admin|support|auditor');
  const database = await resolveDatabase((message) => console.error(`[chronicle] ${message}`));
  try {
    process.env.DATABASE_URL = database.url;
    await migrate({ connectionString: database.url });
    const created = await createApiKey({ input: { name: values.name, role: values.role as 'admin' } });
    log(`created API key "${created.name}" (${created.role}), id ${created.id}. Store it now: it is not shown again.`);
    console.log(created.key);
  } finally {
    await database.release();
  }
} catch (error) {
  reportFailure(error);
} finally {
  await closeGlobalDatabase();
}
