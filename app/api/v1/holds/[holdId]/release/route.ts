import { releaseHold } from '@/lib/server/commands/release-hold';
import { API } from '@/lib/server/http/api-contract';
import { commandContext, holdReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.releaseHold, async (input) =>
  holdReply(
    await releaseHold({
      holdId: input.params.holdId ?? '',
      input: input.body,
      context: commandContext(input),
    }),
    200,
  ),
);
