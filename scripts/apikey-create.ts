// npm run apikey:create -- --name <name> --role admin|support|auditor --owner <admin email> [--expires-at <instant>]
// Prints a description, then the new key alone on the last line (so `| tail -1` captures it).
// The key is shown only now; Chronicle stores only its hash. Every key has an owner, an active
// admin: the key stops working while its owner is disabled.

import { parseArgs } from 'node:util';
import { createApiKey, createApiKeyInput } from '../lib/server/api-keys/create-api-key';
import { findUserByEmail } from '../lib/server/users/find-user-by-email';
import { withScriptDatabase } from './lib/database';
import { log, reportFailure } from './lib/cli-log';

const USAGE =
  'Usage: npm run apikey:create -- --name <name> --role admin|support|auditor --owner <admin email> [--expires-at 2027-06-30T00:00:00Z]';

try {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      owner: { type: 'string' },
      'expires-at': { type: 'string' },
    },
    strict: true,
  });
  if (!values.name || !values.role || !values.owner) throw new Error(USAGE);
  const input = createApiKeyInput.safeParse({
    name: values.name,
    role: values.role,
    ...(values['expires-at'] ? { expiresAt: values['expires-at'] } : {}),
  });
  if (!input.success) throw new Error(input.error.issues.map((issue) => issue.message).join(' '));
  const ownerEmail = values.owner;
  const created = await withScriptDatabase(async () => {
    const owner = await findUserByEmail({ email: ownerEmail });
    if (!owner) throw new Error(`No user has the email ${ownerEmail}; the owner must be an admin.`);
    return createApiKey({ input: input.data, ownerId: owner.id, actor: 'system:cli' });
  });
  log(
    `created API key "${created.name}" (${created.role}) owned by ${ownerEmail}, id ${created.id}${created.expiresAt ? `, expires ${created.expiresAt.toISOString()}` : ''}. Store it now: it is not shown again.`,
  );
  console.log(created.key);
} catch (error) {
  reportFailure(error);
}
