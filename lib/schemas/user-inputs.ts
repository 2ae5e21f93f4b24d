import { z } from 'zod';
import { ROLES } from '../auth/permissions';

export const emailSchema = z
  .string({ error: 'An email address is required.' })
  .trim()
  .toLowerCase()
  .max(254, 'An email address is at most 254 characters.')
  .pipe(z.email({ error: 'Enter a valid email address.' }));

export const roleSchema = z.enum(ROLES, { error: 'The role is admin, support or auditor.' });

/**
 * The one place the password length rules live; the CLI, the admin form's hint and sign-in read
 * them from here. A password is used exactly as typed: never trimmed or otherwise altered, since
 * "secret " and "secret" are different passwords.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export const passwordSchema = z
  .string({ error: 'A password is required.' })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

export const createUserInput = z.strictObject({
  email: emailSchema,
  name: z
    .string({ error: 'A name is required.' })
    .trim()
    .min(1, 'A name is required.')
    .max(120, 'A name is at most 120 characters.'),
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserInput>;
