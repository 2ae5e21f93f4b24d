import { expect, test, type Page } from '@playwright/test';
import { createAccountWithHistory, createTestUser, signIn } from './support/ledger';
import { visit } from './support/ui';

const HISTORY = [
  { at: '2026-03-01T09:00:00Z', command: 'open' as const },
  { at: '2026-03-10T10:00:00Z', command: { deposit: '1000.00' } },
  { at: '2026-03-15T14:30:00Z', command: { withdraw: '250.00' } },
  { at: '2026-03-15T14:47:00Z', command: 'freeze' as const },
  { at: '2026-03-20T08:00:00Z', command: { deposit: '5.00' } },
];

async function expectAsOf(
  page: Page,
  expected: { at: string; balance: string; version: number; frozen: boolean },
) {
  await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(expected.at);
  const summary = page.getByRole('region', { name: 'Time travel' }).getByTestId('as-of-summary');
  await expect(summary.getByTestId('as-of-balance')).toContainText(expected.balance);
  await expect(summary.getByTestId('as-of-version')).toHaveText(String(expected.version));
  await expect(summary).toContainText(expected.frozen ? 'Frozen' : 'Active');
  // Later events are dimmed: exactly the events up to this version are not.
  await expect(
    page
      .getByRole('region', { name: /Timeline/ })
      .locator('[data-testid="timeline-row"]:not([data-after-instant])'),
  ).toHaveCount(expected.version);
}

test('the slider shows the balance at any instant, steps event by event and keeps the position in the URL', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccountWithHistory(HISTORY);
  await signIn(page, auditor);

  // "What was the balance on March 15 at 2:47 PM?" — a shareable link answers it.
  await visit(page, `/accounts/${account}?at=2026-03-15T14:47:00.000Z`);
  await expectAsOf(page, {
    at: '2026-03-15T14:47:00.000Z',
    balance: '750.00',
    version: 4,
    frozen: true,
  });
  await expect(page.getByTestId('chart-marker')).toBeVisible();

  const slider = page.getByRole('slider', { name: 'Point in time to view the account at' });
  await expect(slider).toHaveAttribute('aria-valuetext', '2026-03-15 14:47:00 UTC');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expectAsOf(page, {
    at: '2026-03-15T14:30:00.000Z',
    balance: '750.00',
    version: 3,
    frozen: false,
  });
  await page.keyboard.press('ArrowLeft');
  await expectAsOf(page, {
    at: '2026-03-10T10:00:00.000Z',
    balance: '1,000.00',
    version: 2,
    frozen: false,
  });
  await page.keyboard.press('Home');
  await expectAsOf(page, {
    at: '2026-03-01T09:00:00.000Z',
    balance: '0.00',
    version: 1,
    frozen: false,
  });
  await page.keyboard.press('ArrowRight');
  await expectAsOf(page, {
    at: '2026-03-10T10:00:00.000Z',
    balance: '1,000.00',
    version: 2,
    frozen: false,
  });
  await page.keyboard.press('End');
  await expectAsOf(page, {
    at: '2026-03-20T08:00:00.000Z',
    balance: '755.00',
    version: 5,
    frozen: true,
  });

  // An exact instant can be typed.
  await page.getByLabel('Exact instant (UTC, ISO 8601)').fill('2026-03-12T00:00Z');
  await page.getByRole('button', { name: 'Go' }).click();
  await expectAsOf(page, {
    at: '2026-03-12T00:00:00.000Z',
    balance: '1,000.00',
    version: 2,
    frozen: false,
  });

  // Dragging moves the URL too, and the summary agrees with the timeline.
  const track = page.getByTestId('time-travel-track');
  const box = await track.boundingBox();
  if (!box) throw new Error('no slider track');
  await page.mouse.click(box.x + box.width * 0.62, box.y + box.height / 2);
  await expect
    .poll(() => new URL(page.url()).searchParams.get('at'))
    .not.toBe('2026-03-12T00:00:00.000Z');
  const version = Number(
    await page
      .getByRole('region', { name: 'Time travel' })
      .getByTestId('as-of-version')
      .textContent(),
  );
  await expect(
    page
      .getByRole('region', { name: /Timeline/ })
      .locator('[data-testid="timeline-row"]:not([data-after-instant])'),
  ).toHaveCount(version);

  // The link reopens the same view.
  const url = page.url();
  await visit(page, url);
  await expect(
    page.getByRole('region', { name: 'Time travel' }).getByTestId('as-of-version'),
  ).toHaveText(String(version));

  await page.getByRole('button', { name: 'Back to now' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBeNull();
  await expect(
    page.getByRole('region', { name: 'Time travel' }).getByTestId('as-of-summary'),
  ).toContainText('Showing the present');
});

test('an instant before the account existed says so', async ({ page }) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccountWithHistory(HISTORY);
  await signIn(page, auditor);
  await visit(page, `/accounts/${account}?at=2026-02-01T00:00:00Z`);
  await expect(
    page.getByRole('region', { name: 'Time travel' }).getByTestId('as-of-summary'),
  ).toContainText('The account did not exist yet');
});
