import { expect, test } from '@playwright/test';
import { getPool } from '../lib/server/db/pool';
import { createTestUser, signIn, unique } from './support/ledger';
import { expectToast, visit } from './support/ui';

test('an admin creates an API key, sees it once, and revokes it', async ({ page, request }) => {
  const admin = await createTestUser('admin');
  await signIn(page, admin);
  await visit(page, '/admin/api-keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog');
  const name = unique('warehouse');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Role').selectOption('auditor');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const key = await dialog.getByTestId('new-api-key').inputValue();
  expect(key).toMatch(/^chr_/);
  await dialog.getByRole('button', { name: 'Done' }).click();

  const row = page.getByTestId('api-keys').getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Auditor');
  await expect(row).toContainText('Active');
  await expect(row).toContainText(admin.email);
  await expect(page.getByTestId('api-keys')).not.toContainText(key);

  const headers = { Authorization: `Bearer ${key}` };
  expect((await request.get('/api/v1/accounts?limit=1', { headers })).status()).toBe(200);
  expect(
    (
      await request.post('/api/v1/accounts', {
        headers: { ...headers, 'Idempotency-Key': unique('k') },
        data: { ownerId: 'x', currency: 'USD' },
      })
    ).status(),
  ).toBe(403);

  // Revoking asks first, naming the key; cancelling leaves it working.
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const confirmation = page.getByRole('dialog', { name: `Revoke the API key “${name}”?` });
  await expect(confirmation).toContainText('Every request made with this key is refused');
  await expect(confirmation.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirmation.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirmation).toBeHidden();
  await expect(row).toContainText('Active');
  expect((await request.get('/api/v1/accounts?limit=1', { headers })).status()).toBe(200);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await confirmation.getByRole('button', { name: 'Revoke key' }).click();
  await expectToast(page, `API key "${name}" revoked`);
  await expect(row).toContainText('Revoked');
  expect((await request.get('/api/v1/accounts?limit=1', { headers })).status()).toBe(401);

  // Who created and who revoked it is in the key's trail.
  const trail = await getPool().query(
    `SELECT type, metadata->>'actor' AS actor FROM events
      WHERE stream_id = 'api_key-' || (SELECT id::text FROM api_keys WHERE name = $1)
      ORDER BY stream_version`,
    [name],
  );
  expect(trail.rows).toEqual([
    { type: 'api_key_created', actor: `user:${admin.id}` },
    { type: 'api_key_revoked', actor: `user:${admin.id}` },
  ]);
});

test('a key with an expiry shows it, and a key stops working while its owner is disabled', async ({
  page,
  browser,
  request,
}) => {
  const owner = await createTestUser('admin');
  await signIn(page, owner);
  await visit(page, '/admin/api-keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog');
  const name = unique('expiring');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Expires (optional)').fill('2099-12-31');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByText('Choose a later date, or one less far away.')).toBeVisible();
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  await dialog.getByLabel('Expires (optional)').fill(nextYear);
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const key = await dialog.getByTestId('new-api-key').inputValue();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByTestId('api-keys').getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(nextYear);
  const headers = { Authorization: `Bearer ${key}` };
  expect((await request.get('/api/v1/accounts?limit=1', { headers })).status()).toBe(200);

  // Another admin disables the owner: the key stops working with them.
  const other = await createTestUser('admin');
  const otherPage = await (await browser.newContext()).newPage();
  await signIn(otherPage, other);
  await visit(otherPage, '/admin/users');
  const ownerRow = otherPage.getByRole('row').filter({ hasText: owner.email });
  await ownerRow.getByRole('button', { name: 'Disable' }).click();
  await otherPage.getByRole('dialog').getByRole('button', { name: 'Disable user' }).click();
  await expect(ownerRow).toContainText('Disabled');
  expect((await request.get('/api/v1/accounts?limit=1', { headers })).status()).toBe(401);
  await visit(otherPage, '/admin/api-keys');
  await expect(
    otherPage.getByTestId('api-keys').getByRole('row').filter({ hasText: name }),
  ).toContainText('Owner not an active admin');
});

test('only admins manage API keys', async ({ page }) => {
  const support = await createTestUser('support');
  await signIn(page, support);
  await visit(page, '/admin/api-keys');
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }),
  ).toHaveCount(0);
});
