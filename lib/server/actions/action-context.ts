import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../auth/current-user';
import type { CommandContext } from '../pipeline/command-context';

/** The command context a back-office form acts with: its user, and the key the form generated. */
export function actionContext(user: SessionUser, idempotencyKey: string): CommandContext {
  return { actor: `user:${user.id}`, idempotencyKey, requestId: randomUUID() };
}
