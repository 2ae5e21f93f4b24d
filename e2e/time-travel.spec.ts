import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { importHistory } from '../lib/server/import/import-history';
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

test('steps show the headline from the history kept in the browser, on both time axes, without asking the server', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  // A hold of 100.00 reserved from the 12th to the 13th; a correction of +20.00 entered on the
  // 16th, effective on the 11th: as known now the 11th–15th have 20.00 more than Chronicle showed.
  const id = `acc_slider_${randomBytes(4).toString('hex')}`;
  const holdId = randomUUID();
  const when = (iso: string) => new Date(iso);
  await importHistory({
    actor: 'system:e2e',
    commands: [
      {
        occurredAt: when('2026-03-01T09:00:00Z'),
        command: { type: 'open_account', accountId: id, ownerId: 'cust_slider', currency: 'USD' },
      },
      {
        occurredAt: when('2026-03-10T10:00:00Z'),
        command: {
          type: 'deposit',
          accountId: id,
          amount: '1000.00',
          source: 'e2e',
          reference: '',
        },
      },
      {
        occurredAt: when('2026-03-12T12:00:00Z'),
        command: {
          type: 'place_hold',
          holdId,
          accountId: id,
          amount: '100.00',
          reason: 'card authorisation',
          reference: '',
          expiresAt: when('2026-03-20T00:00:00Z'),
        },
      },
      {
        occurredAt: when('2026-03-13T12:00:00Z'),
        command: { type: 'release_hold', holdId, accountId: id, reason: 'cancelled' },
      },
      {
        occurredAt: when('2026-03-15T14:30:00Z'),
        command: {
          type: 'withdraw',
          accountId: id,
          amount: '250.00',
          destination: 'e2e',
          reference: '',
        },
      },
      {
        occurredAt: when('2026-03-16T08:00:00Z'),
        command: {
          type: 'record_correction',
          accountId: id,
          kind: 'deposit',
          amount: '20.00',
          effectiveAt: '2026-03-11T00:00:00.000Z',
          reason: 'deposit found late',
        },
      },
      {
        occurredAt: when('2026-03-20T08:00:00Z'),
        command: { type: 'deposit', accountId: id, amount: '5.00', source: 'e2e', reference: '' },
      },
    ],
  });
  await signIn(page, auditor);
  await visit(page, `/accounts/${id}?at=2026-03-20T08:00:00.000Z`);
  const region = page.getByRole('region', { name: 'Time travel' });
  await expect(region).toHaveAttribute('data-history-windows', '1/1');

  // From here on the server's as-of answers are refused: the headline still follows every step.
  await page.route('**/as-of?**', (route) => route.abort());
  const summary = region.getByTestId('as-of-summary');
  const expectHeadline = async (expected: {
    at: string;
    version: number;
    balance: string;
    held: string;
    available: string;
  }) => {
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(expected.at);
    await expect(summary.getByTestId('as-of-version')).toHaveText(String(expected.version));
    await expect(summary.getByTestId('as-of-balance')).toContainText(expected.balance);
    await expect(summary.getByTestId('as-of-held')).toContainText(expected.held);
    await expect(summary.getByTestId('as-of-available')).toContainText(expected.available);
  };
  const slider = region.getByRole('slider', { name: 'Point in time to view the account at' });
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expectHeadline({
    at: '2026-03-16T08:00:00.000Z',
    version: 6,
    balance: '770.00',
    held: '0.00',
    available: '770.00',
  });
  await page.keyboard.press('ArrowLeft');
  await expectHeadline({
    at: '2026-03-15T14:30:00.000Z',
    version: 5,
    balance: '770.00',
    held: '0.00',
    available: '770.00',
  });
  await expect(summary.getByTestId('as-of-correction-note')).toContainText('750.00');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expectHeadline({
    at: '2026-03-12T12:00:00.000Z',
    version: 3,
    balance: '1,020.00',
    held: '100.00',
    available: '920.00',
  });

  // As Chronicle showed it then: the correction had not been entered yet.
  await region.getByLabel('As Chronicle showed it then').check();
  await expect
    .poll(() => new URL(page.url()).searchParams.get('knownAt'))
    .toBe('2026-03-12T12:00:00.000Z');
  await expectHeadline({
    at: '2026-03-12T12:00:00.000Z',
    version: 3,
    balance: '1,000.00',
    held: '100.00',
    available: '900.00',
  });
  await expect(summary.getByTestId('as-of-other-balance')).toContainText('1,020.00');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expectHeadline({
    at: '2026-03-13T12:00:00.000Z',
    version: 4,
    balance: '1,000.00',
    held: '0.00',
    available: '1,000.00',
  });
  await page.keyboard.press('Home');
  await expectHeadline({
    at: '2026-03-01T09:00:00.000Z',
    version: 1,
    balance: '0.00',
    held: '0.00',
    available: '0.00',
  });
});
