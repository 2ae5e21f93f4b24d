import { approvalNotice } from '@/lib/server/approvals/approval-notices';
import type { Metadata } from 'next';
import { CreateApiKeyDialog, RevokeApiKeyButton } from '@/components/admin/api-key-controls';
import { Badge } from '@/components/ui/badge';
import { EmptyState, Forbidden, PageHeading } from '@/components/ui/states';
import { ROLE_LABELS } from '@/lib/auth/permissions';
import { formatUtc } from '@/lib/format-time';
import { guardPage } from '@/lib/server/auth/guard-page';
import { listApiKeys, type ApiKeyRecord } from '@/lib/server/api-keys/list-api-keys';
import { getPool } from '@/lib/server/db/pool';
import { TableHead } from '@/components/ui/table-head';

export const metadata: Metadata = { title: 'API keys' };

/** The database clock, so that "expired" agrees with what authentication decides. */
async function connectionTime(): Promise<Date> {
  return (await getPool().query<{ now: Date }>('SELECT now() AS now')).rows[0]?.now as Date;
}

function ApiKeyStatus({ apiKey, now }: { apiKey: ApiKeyRecord; now: Date }) {
  if (apiKey.revokedAt) return <Badge tone="danger">Revoked</Badge>;
  if (apiKey.expiresAt && apiKey.expiresAt <= now) return <Badge tone="danger">Expired</Badge>;
  if (apiKey.isOwnerDisabled) return <Badge tone="warning">Owner not an active admin</Badge>;
  return <Badge tone="success">Active</Badge>;
}

export default async function ApiKeysPage() {
  const { allowed } = await guardPage('api-keys:manage', { returnTo: '/admin/api-keys' });
  if (!allowed) return <Forbidden what="manage API keys" />;
  const keys = await listApiKeys();
  const now = await connectionTime();
  return (
    <>
      <PageHeading title="API keys" actions={<CreateApiKeyDialog />}>
        Keys let other systems use the HTTP API (
        <a className="underline" href="/api/v1/openapi.json">
          OpenAPI document
        </a>
        ) with the permissions of their role. Each key is owned by the admin who created it and
        stops working while its owner is disabled, once it expires, or on its next request after it
        is revoked.
        {approvalNotice('create_admin_api_key') ? (
          <span data-testid="approval-notice">
            {' '}
            A key with the admin role needs a second admin&apos;s approval: it is shown once when
            you create it and works once it is approved.
          </span>
        ) : null}
      </PageHeading>
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet." />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="api-keys">
            <TableHead
              columns={[
                { label: 'Name' },
                { label: 'Role' },
                { label: 'Key starts with' },
                { label: 'Owner' },
                { label: 'Created' },
                { label: 'Expires' },
                { label: 'Last used' },
                { label: 'Status' },
                { label: 'Revoke', labelHidden: true },
              ]}
            />
            <tbody className="divide-y divide-slate-100">
              {keys.map((key) => (
                <tr key={key.id}>
                  <td className="px-4 py-2 font-medium">{key.name}</td>
                  <td className="px-4 py-2">{ROLE_LABELS[key.role]}</td>
                  <td className="px-4 py-2 font-mono text-xs">{key.prefix}…</td>
                  <td className="px-4 py-2 text-xs">{key.ownerEmail ?? '—'}</td>
                  <td className="px-4 py-2 text-xs tabular-nums">
                    {formatUtc(key.createdAt.toISOString())}
                  </td>
                  <td className="px-4 py-2 text-xs tabular-nums">
                    {key.expiresAt ? formatUtc(key.expiresAt.toISOString()) : 'never'}
                  </td>
                  <td className="px-4 py-2 text-xs tabular-nums">
                    {key.lastUsedAt ? formatUtc(key.lastUsedAt.toISOString()) : 'never'}
                  </td>
                  <td className="px-4 py-2">
                    <ApiKeyStatus apiKey={key} now={now} />
                  </td>
                  <td className="px-4 py-2 text-right">
                    {key.revokedAt ? null : <RevokeApiKeyButton id={key.id} name={key.name} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
