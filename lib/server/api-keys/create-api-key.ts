import { z } from 'zod';
import { AppError } from '../../errors';
import type { Role } from '../../auth/permissions';
import { roleSchema } from '../../schemas/user-inputs';
import { getPool } from '../db/pool';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';

export const createApiKeyInput = z.strictObject({
  name: z
    .string({ error: 'A name is required.' })
    .trim()
    .min(1, 'A name is required.')
    .max(100, 'A name is at most 100 characters.'),
  role: roleSchema,
});

export interface CreatedApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  /** The key itself: returned once, never stored. */
  readonly key: string;
}

export async function createApiKey(options: {
  input: z.input<typeof createApiKeyInput>;
}): Promise<CreatedApiKey> {
  const parsed = createApiKeyInput.safeParse(options.input);
  if (!parsed.success)
    throw new AppError(
      'validation_error',
      parsed.error.issues.map((issue) => issue.message).join(' '),
    );
  const key = generateApiKey();
  const result = await getPool().query<{ id: string }>(
    'INSERT INTO api_keys (name, role, key_prefix, key_hash) VALUES ($1, $2, $3, $4) RETURNING id::text AS id',
    [parsed.data.name, parsed.data.role, displayPrefix(key), hashApiKey(key)],
  );
  return {
    id: result.rows[0]?.id as string,
    name: parsed.data.name,
    role: parsed.data.role,
    prefix: displayPrefix(key),
    key,
  };
}
