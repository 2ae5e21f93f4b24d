// The shape of every server action: authenticate → authorize → validate → run one use case →
// map the outcome to a form state. Server actions are public HTTP endpoints; nothing here trusts
// the form that called them. Errors become codes and safe messages; raw exceptions are logged with
// a reference and never sent back.

import type { z } from 'zod';
import type { ActionState } from '../../actions/action-state';
import type { Permission } from '../../auth/permissions';
import { AppError, internalErrorMessage } from '../../errors';
import { zodFieldErrors } from '../../schemas/field-errors';
import { requirePermission } from '../auth/require-permission';
import type { SessionUser } from '../auth/current-user';
import { isApprovalRequested, type ApprovalRequested } from '../approvals/approval-requested';
import { logUnexpectedError } from '../log';
import { rememberBrowserCommit } from '../http/commit-lsn';

/** Fields used exactly as typed: "secret " and "secret" are different passwords. */
const VERBATIM_FIELDS = new Set(['password']);

/**
 * Form fields as a plain object, trimmed, except the verbatim ones; empty strings become absent so
 * optional fields stay optional.
 */
export function formFields(formData: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    if (name.startsWith('$ACTION') || typeof value !== 'string') continue;
    const kept = VERBATIM_FIELDS.has(name) ? value : value.trim();
    if (kept !== '') fields[name] = kept;
  }
  return fields;
}

export async function runAction<S extends z.ZodType, T>(options: {
  permission: Permission;
  formData: FormData;
  schema: S;
  resource?: (fields: Record<string, string>) => string | undefined;
  run: (input: z.output<S>, user: SessionUser) => Promise<{ message: string; data: T }>;
}): Promise<ActionState<T>> {
  const at = Date.now();
  const fields = formFields(options.formData);
  let user: SessionUser | undefined;
  try {
    user = await requirePermission(options.permission, {
      resource: options.resource?.(fields),
    });
    const parsed = options.schema.safeParse(fields);
    if (!parsed.success) {
      const fieldErrors = zodFieldErrors(parsed.error, 'form');
      return {
        status: 'error',
        code: 'validation_error',
        message: 'Check the highlighted fields.',
        fieldErrors,
        at,
      };
    }
    const outcome = await options.run(parsed.data, user);
    // The user's next pages may read from a replica: they must include what this just wrote.
    await rememberBrowserCommit(user.id);
    return { status: 'success', message: outcome.message, data: outcome.data, at };
  } catch (error) {
    if (isApprovalRequested(error)) {
      if (user) await rememberBrowserCommit(user.id);
      return pendingApprovalState(error, at);
    }
    if (error instanceof AppError) {
      return {
        status: 'error',
        code: error.code,
        message: error.message,
        fieldErrors: error.fieldErrors ?? {},
        at,
      };
    }
    const reference = logUnexpectedError('server action failed', error);
    return {
      status: 'error',
      code: 'internal_error',
      message: internalErrorMessage(reference),
      fieldErrors: {},
      at,
    };
  }
}

/** What a form shows when its command now waits for a second person. */
export function pendingApprovalState(held: ApprovalRequested, at: number): ActionState<never> {
  return {
    status: 'pending_approval',
    message: `Sent for approval: ${held.approval.summary}. It runs once another person approves it.`,
    approvalId: held.approval.id,
    at,
  };
}
