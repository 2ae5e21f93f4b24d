import { captureHold } from '@/lib/server/commands/capture-hold';
import { API } from '@/lib/server/http/api-contract';
import { commandContext, holdReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.captureHold, async (input) =>
  holdReply(
    await captureHold({
      holdId: input.params.holdId ?? '',
      input: input.body,
      context: commandContext(input),
    }),
    201,
  ),
);
