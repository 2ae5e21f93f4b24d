import type { DisputeNoteInput } from '../../schemas/dispute-inputs';
import { uuidv7 } from '../ids';
import type { CommandContext } from '../pipeline/command-context';
import type { CommandResult } from '../pipeline/command-result';
import { executeCommand } from '../pipeline/execute-command';

/** Adds a note to a case's evidence: staged until the evidence is submitted, never changed. */
export async function addDisputeNote(options: {
  disputeId: string;
  input: DisputeNoteInput;
  context: CommandContext;
}): Promise<CommandResult> {
  const { disputeId, input, context } = options;
  return executeCommand({
    command: { type: 'add_dispute_note', disputeId, evidenceId: uuidv7(), text: input.text },
    context,
    requestInput: { disputeId, ...input },
  });
}
