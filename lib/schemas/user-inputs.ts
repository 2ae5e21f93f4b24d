import { z } from 'zod';
import { ROLES } from '../auth/permissions';

export const emailSchema = z
  .string({ error: 'An email address is required.' })
  .trim()
  .toLowerCase()
  .max(254, 'An email address is at most 254 characters.')
  .pipe(z.email({ error: 'Enter a valid email address.' }));

export const roleSchema = z.enum(ROLES, { error: 'The role is admin, support or auditor.' });

export const passwordSchema = z
  .string({ error: 'A password is required.' })
  .min(12, 'Use at least 12 characters.')
  .max(256, 'Use at most 256 characters.');

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
