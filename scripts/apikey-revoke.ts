// npm run apikey:revoke -- --id <id>   (or --name <name> when the name is unique)
import { parseArgs } from 'node:util';
import { closeGlobalDatabase } from '../lib/server/db/pool';
import { resolveDatabase } from '../lib/server/db/resolve-database';
import { revokeApiKey } from '../lib/server/api-keys/revoke-api-key';
import { log, reportFailure } from './lib/log';

try {
  const { values } = parseArgs({ options: { id: { type: 'string' }, name: { type: 'string' } }, strict: true });
  const database = await resolveDatabase(log);
  try {
    process.env.DATABASE_URL = database.url;
    const revoked = await revokeApiKey({ ...(values.id ? { id: values.id } : {}), ...(values.name ? { name: values.name } : {}) });
    log(`revoked API key "${revoked.name}" (${revoked.id})`);
  } finally {
    await database.release();
  }
} catch (error) {
  reportFailure(error);
} finally {
  await closeGlobalDatabase();
}
