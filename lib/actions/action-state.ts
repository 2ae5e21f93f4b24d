// What a server action answers a form with. Shared by the actions and the client forms.
import type { ErrorCode, FieldErrors } from '../errors';

export type ActionState<T = unknown> =
  | { readonly status: 'idle' }
  | { readonly status: 'success'; readonly message: string; readonly data: T; readonly at: number }
  /** The policy held the command: it waits, as an approval request, for a second person. */
  | {
      readonly status: 'pending_approval';
      readonly message: string;
      readonly approvalId: string;
      readonly at: number;
    }
  | {
      readonly status: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly fieldErrors: FieldErrors;
      readonly at: number;
    };

export const IDLE: ActionState<never> = { status: 'idle' };
