import { expect, type Page } from '@playwright/test';

/** A confirmation toast with exactly this title (not the screen-reader copy Radix adds). */
export async function expectToast(page: Page, title: string | RegExp): Promise<void> {
  const locator =
    typeof title === 'string'
      ? page.getByText(title, { exact: true })
      : page.locator('li').getByText(title);
  await expect(locator.first()).toBeVisible();
}

/**
 * Opens a page and waits until streamed content has been revealed. While React reveals a
 * streamed Suspense boundary, the new content briefly exists twice (once hidden); waiting keeps
 * locators unambiguous.
 */
export async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await settled(page);
}

/** Waits until a page that is streaming in (after a navigation of any kind) has been revealed. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('domcontentloaded');
  await page.waitForFunction(
    () =>
      document.querySelectorAll('div[hidden][id^="S:"]').length === 0 &&
      !document.querySelector('.animate-pulse'),
  );
}
