import { expect, type Page } from '@playwright/test';

/** A confirmation toast with exactly this title (not the screen-reader copy Radix adds). */
export async function expectToast(page: Page, title: string | RegExp): Promise<void> {
  const locator = typeof title === 'string' ? page.getByText(title, { exact: true }) : page.locator('li').getByText(title);
  await expect(locator.first()).toBeVisible();
}
