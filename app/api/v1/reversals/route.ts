import { reverseCharge } from '@/lib/server/commands/reverse-charge';
import { API } from '@/lib/server/http/api-contract';
import { commandContext, movementReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.reverse, async (input) =>
  movementReply(await reverseCharge({ input: input.body, context: commandContext(input) }), 201),
);
