import { AppError } from '@/lib/errors';
import { UUID_PATTERN } from '@/lib/ledger/limits';
import { placeHold } from '@/lib/server/commands/place-hold';
import { API } from '@/lib/server/http/api-contract';
import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import { commandContext, holdReply } from '@/lib/server/http/api-helpers';
import { apiRoute } from '@/lib/server/http/api-route';
import { toHoldResource } from '@/lib/server/http/to-api-resources';
import { getAccount } from '@/lib/server/queries/get-account';
import { listHolds } from '@/lib/server/queries/list-holds';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.placeHold, async (input) => {
  const result = await placeHold({
    accountId: accountIdParam(input.params.id),
    input: input.body,
    context: commandContext(input),
  });
  const holdId = result.holds[0]?.id ?? '';
  return holdReply(result, 201, { Location: `/api/v1/holds/${holdId}` });
});

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const beforeId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID_PATTERN.test(beforeId))
    throw new AppError('validation_error', 'The cursor is not one this API gave out.', {
      fieldErrors: { cursor: 'Invalid cursor.' },
    });
  return beforeId;
}

export const GET = apiRoute(API.listAccountHolds, async ({ params, query }) => {
  const accountId = accountIdParam(params.id);
  const beforeId = decodeCursor(query.cursor);
  if (!(await getAccount({ accountId }))) throw accountNotFound(accountId);
  const page = await listHolds({ accountId, status: query.status, beforeId, limit: query.limit });
  return {
    status: 200,
    body: {
      items: page.holds.map(toHoldResource),
      nextCursor: page.nextBeforeId ? Buffer.from(page.nextBeforeId).toString('base64url') : null,
    },
  };
});
