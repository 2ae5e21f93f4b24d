import { statementQuery } from '@/lib/schemas/api-resources';
import { requirePermission } from '@/lib/server/auth/require-permission';
import { accountIdParam, accountNotFound } from '@/lib/server/http/account-id-param';
import { sessionReads } from '@/lib/server/http/commit-lsn';
import { jsonRoute, readQuery } from '@/lib/server/http/json-route';
import { buildStatement } from '@/lib/server/statements/build-statement';

export const dynamic = 'force-dynamic';

/** The signed statement as a file, for the statement page's "Download signed JSON". */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    const { id } = await params;
    const user = await requirePermission('accounts:read', { resource: id });
    const accountId = accountIdParam(id);
    const { from, to, knownAt } = readQuery(request, statementQuery);
    const statement = await buildStatement({
      accountId,
      from,
      to: to ?? new Date(),
      knownAt,
      db: await sessionReads(user.id),
    });
    if (!statement) throw accountNotFound(accountId);
    const day = (iso: string) => iso.slice(0, 10);
    return new Response(`${JSON.stringify(statement, null, 2)}\n`, {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="statement-${accountId}-${day(statement.statement.from)}-${day(statement.statement.to)}.json"`,
        'Cache-Control': 'no-store',
      },
    });
  });
}
