import { transferFunds } from '@/lib/server/commands/transfer-funds';
import { API } from '@/lib/server/http/api-contract';
import { commandContext, commandHeaders } from '@/lib/server/http/api-helpers';
import { toAccountResource, toEventResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.transfer, async (input) => {
  const result = await transferFunds({ input: input.body, context: commandContext(input) });
  const [from, to] = result.accounts;
  if (!from || !to) throw new Error('a transfer touches two accounts');
  return {
    status: 201,
    body: {
      events: result.events.map(toEventResource),
      from: toAccountResource(from),
      to: toAccountResource(to),
    },
    headers: commandHeaders(result),
  };
});
