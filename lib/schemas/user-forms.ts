import { z } from 'zod';
import { createUserInput, roleSchema } from './user-inputs';

const userId = z.string().uuid('Unknown user.');

export const createUserForm = createUserInput;
export const changeRoleForm = z.strictObject({ userId, role: roleSchema });
export const setUserDisabledForm = z.strictObject({
  userId,
  disabled: z.enum(['true', 'false']).transform((value) => value === 'true'),
});
