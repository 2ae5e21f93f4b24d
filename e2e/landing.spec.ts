import { expect, test } from '@playwright/test';

test('the landing page says what Chronicle is', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Chronicle' })).toBeVisible();
  await expect(page.getByText(/immutable event/)).toBeVisible();
});
