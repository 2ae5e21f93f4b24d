import type { Metadata } from 'next';
import { CreateApiKeyDialog, RevokeApiKeyButton } from '@/components/admin/api-key-controls';
import { Badge } from '@/components/ui/badge';
import { EmptyState, Forbidden, PageHeading } from '@/components/ui/states';
import { ROLE_LABELS } from '@/lib/auth/permissions';
import { formatUtc } from '@/lib/format-time';
import { guardPage } from '@/lib/server/auth/guard-page';
import { listApiKeys } from '@/lib/server/api-keys/list-api-keys';
import { TableHead } from '@/components/ui/table-head';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const { allowed } = await guardPage('api-keys:manage', { returnTo: '/admin/api-keys' });
  if (!allowed) return <Forbidden what="manage API keys" />;
  const keys = await listApiKeys();
  return (
    <>
      <PageHeading title="API keys" actions={<CreateApiKeyDialog />}>
        Keys let other systems use the HTTP API (
        <a className="underline" href="/api/v1/openapi.json">
          OpenAPI document
        </a>
        ) with the permissions of their role. A revoked key stops working on its next request.
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
                { label: 'Created' },
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
                  <td className="px-4 py-2 text-xs tabular-nums">
                    {formatUtc(key.createdAt.toISOString())}
                  </td>
                  <td className="px-4 py-2 text-xs tabular-nums">
                    {key.lastUsedAt ? formatUtc(key.lastUsedAt.toISOString()) : 'never'}
                  </td>
                  <td className="px-4 py-2">
                    {key.revokedAt ? (
                      <Badge tone="danger">Revoked</Badge>
                    ) : (
                      <Badge tone="success">Active</Badge>
                    )}
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
