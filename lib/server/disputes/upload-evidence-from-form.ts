// The back office's evidence upload. Not a server action: Next.js reads a server action's whole
// body before the action can check who sent it, and files would have forced that limit up for
// every action. This runs behind a route handler instead, which checks the session and the
// permission first, then reads the body as it arrives, refusing it past the file limit.

import { revalidatePath } from 'next/cache';
import type { ActionState } from '../../actions/action-state';
import { AppError } from '../../errors';
import { disputeEvidenceForm } from '../../schemas/dispute-forms';
import { actionContext } from '../actions/action-context';
import { runAction } from '../actions/run-action';
import { requirePermission } from '../auth/require-permission';
import { readMultipartForm, uploadIn } from '../http/read-upload';
import { addDisputeEvidence } from './add-dispute-evidence';

/** What an upload's refusals mean for the one field the form has: the file. */
function asFileError(error: unknown): unknown {
  if (!(error instanceof AppError) || error.fieldErrors?.file) return error;
  const messages: Partial<Record<AppError['code'], string>> = {
    payload_too_large: 'Evidence files are at most 5 MiB each.',
    unsupported_media_type: 'Choose a PDF, PNG or JPEG file.',
  };
  const message = messages[error.code];
  return message ? new AppError(error.code, message, { fieldErrors: { file: message } }) : error;
}

export async function uploadEvidenceFromForm(
  request: Request,
  disputeId: string,
): Promise<ActionState<{ disputeId: string; eventIds: string[] }>> {
  let form: FormData;
  try {
    // A form of this site only, as Next.js checks for its server actions: a page elsewhere cannot
    // make a signed-in browser upload (the session cookie is SameSite=Lax besides).
    const origin = request.headers.get('origin');
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
    if (!origin || !host || new URL(origin).host !== host)
      throw new AppError('forbidden', 'Upload evidence from the case page.');
    // Who sends it next; only then is the body read.
    await requirePermission('disputes:work', { resource: disputeId });
    form = await readMultipartForm(request, 'file');
  } catch (error) {
    const refusal = asFileError(error);
    if (!(refusal instanceof AppError)) throw error;
    return {
      status: 'error',
      code: refusal.code,
      message: refusal.message,
      fieldErrors: refusal.fieldErrors ?? {},
      at: Date.now(),
    };
  }
  return runAction({
    permission: 'disputes:work',
    formData: form,
    schema: disputeEvidenceForm,
    resource: (fields) => fields.disputeId,
    run: async ({ disputeId: formDisputeId, idempotencyKey }, user) => {
      if (formDisputeId !== disputeId)
        throw new AppError('validation_error', 'The form names another case.');
      try {
        const upload = await uploadIn(form, 'file');
        const result = await addDisputeEvidence({
          disputeId,
          upload,
          context: actionContext(user, idempotencyKey),
        });
        revalidatePath(`/disputes/${disputeId}`);
        revalidatePath('/disputes');
        const name = result.disputes[0]?.evidence.at(-1);
        return {
          message: `${name?.kind === 'file' ? name.fileName : upload.fileName} added to the evidence${result.replayed ? ' (already recorded; nothing was done twice)' : ''}`,
          data: { disputeId, eventIds: result.events.map((event) => event.eventId) },
        };
      } catch (error) {
        throw asFileError(error);
      }
    },
  });
}
