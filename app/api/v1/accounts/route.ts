import { AppError } from '@/lib/errors';
import { ACCOUNT_ID_PATTERN } from '@/lib/ledger/limits';
import { openAccount } from '@/lib/server/commands/open-account';
import { API } from '@/lib/server/http/api-contract';
import { accountReply, commandContext } from '@/lib/server/http/api-helpers';
import { toAccountResource } from '@/lib/server/http/to-api-resources';
import { apiRoute } from '@/lib/server/http/api-route';
import { listAccounts } from '@/lib/server/queries/list-accounts';

export const dynamic = 'force-dynamic';

export const POST = apiRoute(API.createAccount, async (input) =>
  accountReply(
    await openAccount({ input: input.body, context: commandContext(input) }),
    201,
    (account) => ({ Location: `/api/v1/accounts/${encodeURIComponent(account.id)}` }),
  ),
);

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const afterId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ACCOUNT_ID_PATTERN.test(afterId))
    throw new AppError('validation_error', 'The cursor is not one this API gave out.', {
      fieldErrors: { cursor: 'Invalid cursor.' },
    });
  return afterId;
}

export const GET = apiRoute(API.listAccounts, async ({ query }) => {
  const page = await listAccounts({
    filters: { ownerId: query.ownerId },
    afterId: decodeCursor(query.cursor),
    limit: query.limit,
  });
  return {
    status: 200,
    body: {
      items: page.accounts.map(toAccountResource),
      nextCursor: page.nextAfterId
        ? Buffer.from(page.nextAfterId, 'utf8').toString('base64url')
        : null,
    },
  };
});
