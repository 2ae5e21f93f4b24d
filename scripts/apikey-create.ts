// npm run apikey:create -- --name <name> --role admin|support|auditor
// Prints a description, then the new key alone on the last line (so `| tail -1` captures it).
// The key is shown only now; Chronicle stores only its hash.

import { parseArgs } from 'node:util';
import { createApiKey } from '../lib/server/api-keys/create-api-key';
import { withScriptDatabase } from './lib/database';
import { log, reportFailure } from './lib/log';

try {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, role: { type: 'string' } },
    strict: true,
  });
  if (!values.name || !values.role)
    throw new Error('Usage: npm run apikey:create -- --name <name> --role admin|support|auditor');
  const { name, role } = values;
  const created = await withScriptDatabase(() =>
    createApiKey({ input: { name, role: role as 'admin' } }),
  );
  log(
    `created API key "${created.name}" (${created.role}), id ${created.id}. Store it now: it is not shown again.`,
  );
  console.log(created.key);
} catch (error) {
  reportFailure(error);
}
