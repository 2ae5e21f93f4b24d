// npm run apikey:revoke -- --id <id>   (or --name <name> when the name is unique)
import { parseArgs } from 'node:util';
import { revokeApiKey } from '../lib/server/api-keys/revoke-api-key';
import { withScriptDatabase } from './lib/database';
import { log, reportFailure } from './lib/cli-log';

try {
  const { values } = parseArgs({
    options: { id: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const revoked = await withScriptDatabase(() =>
    revokeApiKey({
      ...(values.id ? { id: values.id } : {}),
      ...(values.name ? { name: values.name } : {}),
      actor: 'system:cli',
    }),
  );
  log(`revoked API key "${revoked.name}" (${revoked.id})`);
} catch (error) {
  reportFailure(error);
}
