import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../auth/current-user';
import type { CommandContext } from '../pipeline/command-context';

/** The command context a back-office form acts with: its user, and the key the form generated. */
export function actionContext(user: SessionUser, idempotencyKey: string): CommandContext {
  const actor = `user:${user.id}`;
  return {
    actor,
    person: { actor, userId: user.id, email: user.email, role: user.role },
    idempotencyKey,
    requestId: randomUUID(),
  };
}
