// What the back-office forms post to the server actions: the shared input schemas plus the
// account a form is about and the idempotency key the form generated when it was opened.

import { z } from 'zod';
import { IDEMPOTENCY_KEY_PATTERN } from '../ledger/limits';
import {
  accountIdSchema,
  captureHoldInput,
  depositInput,
  freezeInput,
  holdIdSchema,
  openAccountInput,
  placeHoldInput,
  releaseHoldInput,
  reversalInput,
  transferInput,
  withdrawalInput,
  correctionInput,
} from './ledger-inputs';

export const idempotencyKeySchema = z
  .string({ error: 'This form is missing its idempotency key; reload the page.' })
  .regex(IDEMPOTENCY_KEY_PATTERN, 'This form is missing its idempotency key; reload the page.');

const keyed = { idempotencyKey: idempotencyKeySchema };
const forAccount = { accountId: accountIdSchema, ...keyed };

export const openAccountForm = openAccountInput.extend(keyed);
export const depositForm = depositInput.extend(forAccount);
export const withdrawalForm = withdrawalInput.extend(forAccount);
export const transferForm = transferInput.extend(keyed);
export const reversalForm = reversalInput.extend(keyed);
export const freezeForm = freezeInput.extend(forAccount);
export const correctionForm = correctionInput.extend(forAccount);

const forHold = { holdId: holdIdSchema, ...keyed };
export const placeHoldForm = placeHoldInput.extend(forAccount);
export const captureHoldForm = captureHoldInput.extend(forHold);
export const releaseHoldForm = releaseHoldInput.extend(forHold);
