// Dispute cases in the back office, as support staff work them: open a case from a charge on the
// account's timeline, assign it, add a note and a PDF (its SHA-256 shown in full), give
// provisional credit, submit the evidence, lose the case after the customer spent the credit,
// and watch a later deposit collect what the account owes. Auditors read cases and download
// their evidence package but have no controls; the queue's filters live in the URL.

import { createHash, randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import {
  chargeAccount,
  createAccount,
  createTestUser,
  signIn,
  type TestUser,
} from './support/ledger';
import { EVIDENCE_MAX_BYTES } from '../lib/ledger/dispute/dispute-rules';
import { addDisputeNote } from '../lib/server/disputes/add-dispute-note';
import { assignDispute } from '../lib/server/disputes/assign-dispute';
import { giveProvisionalCredit } from '../lib/server/disputes/give-provisional-credit';
import { openDispute } from '../lib/server/disputes/open-dispute';
import { expectToast, settled, visit } from './support/ui';
import { expectNoSeriousViolations } from './support/accessibility';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const CASE_URL = /\/disputes\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const system = () => ({ actor: 'system:e2e', idempotencyKey: randomUUID() });

/** Opens a case on a charge behind the scenes; returns its id. */
async function openTestDispute(
  chargeEventId: string,
  options: { dueBy?: Date; assignTo?: TestUser } = {},
): Promise<string> {
  const opened = await openDispute({
    input: {
      chargeEventId,
      reasonCode: 'duplicate',
      description: 'Charged twice for one order',
      ...(options.dueBy ? { dueBy: options.dueBy } : {}),
    },
    context: system(),
  });
  const disputeId = opened.disputes[0]?.id as string;
  if (options.assignTo)
    await assignDispute({
      disputeId,
      input: { assigneeId: options.assignTo.id },
      context: system(),
    });
  return disputeId;
}

/** Opens one of the case page's action dialogs by its button. */
async function caseDialog(page: Page, button: string) {
  await page.getByTestId('case-actions').getByRole('button', { name: button }).click();
  return page.getByRole('dialog');
}

async function accountDialog(page: Page, button: string) {
  await page
    .getByTestId('account-actions')
    .getByRole('button', { name: button, exact: true })
    .click();
  return page.getByRole('dialog');
}

test('support staff work a case from the charge to a lost outcome and its collection', async ({
  page,
}) => {
  const support = await createTestUser('support');
  const colleague = await createTestUser('support');
  const account = await createAccount({ balance: '100.00' });
  await chargeAccount(account, '40.00', 'TXN-7781');
  await signIn(page, support);
  await visit(page, `/accounts/${account}`);

  // Open the case from the charge's row: the dialog says how much can still be disputed.
  const chargeRow = page.getByTestId('timeline-row').filter({ hasText: 'ref TXN-7781' });
  await chargeRow.getByRole('button', { name: 'Open dispute…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Open dispute' });
  await expect(dialog).toContainText('Empty: everything still reversible, 40.00 USD.');
  await dialog.getByLabel('What the customer says is wrong').fill('The parcel never arrived.');
  await dialog.getByRole('button', { name: 'Open dispute' }).click();
  // Refused next to the field, and what was typed survives.
  await expect(dialog.getByRole('alert')).toHaveText('Choose a reason.');
  await expect(dialog.getByLabel('What the customer says is wrong')).toHaveValue(
    'The parcel never arrived.',
  );
  await dialog.getByLabel('Reason').selectOption({ label: 'Product not received' });
  await dialog.getByRole('button', { name: 'Open dispute' }).click();
  await page.waitForURL(CASE_URL);
  await settled(page);
  const caseUrl = new URL(page.url()).pathname;

  const summary = page.getByRole('region', { name: /^Dispute/ });
  await expect(summary.getByTestId('dispute-status')).toHaveText('Open');
  await expect(page.getByTestId('dispute-amount')).toContainText('40.00');
  await expect(page.getByTestId('dispute-reason')).toHaveText('Product not received');
  await expect(page.getByTestId('dispute-assignee')).toHaveText('Unassigned');
  await expect(page.getByTestId('dispute-description')).toHaveText('The parcel never arrived.');
  // The charge in context, with the way back to the account as it stood then.
  const charge = page.getByRole('region', { name: 'The charge' });
  await expect(charge).toContainText('Withdrawal');
  await expect(charge).toContainText('ref TXN-7781');
  await expect(
    charge.getByRole('link', { name: 'See the account as it stood at the charge' }),
  ).toHaveAttribute('href', new RegExp(`^/accounts/${account}\\?at=\\d{4}-\\d{2}-\\d{2}T`));
  const history = page.getByRole('region', { name: /Case history/ });
  await expect(history).toContainText('Dispute opened');
  await expect(history).toContainText('Charge disputed');

  // Assign it to a colleague: the case now needs their response.
  dialog = await caseDialog(page, 'Assign…');
  await dialog
    .getByLabel('Assignee')
    .selectOption({ label: `${colleague.name} (${colleague.email}) · Support` });
  await dialog.getByRole('button', { name: 'Assign' }).click();
  await expectToast(page, 'Case assigned (status: Needs response)');
  await expect(summary.getByTestId('dispute-status')).toHaveText('Needs response');
  await expect(page.getByTestId('dispute-assignee')).toHaveText(colleague.name);
  await expect(history).toContainText(`Assigned to ${colleague.name}`);

  // A note, then a file: anything but a PDF, PNG or JPEG is refused next to the file.
  dialog = await caseDialog(page, 'Add note…');
  await dialog.getByLabel('Note').fill('Courier confirms the parcel was returned to sender.');
  await dialog.getByRole('button', { name: 'Add note' }).click();
  await expectToast(page, 'Note added to the evidence');
  const evidence = page.getByRole('region', { name: 'Evidence' });
  await expect(evidence).toContainText('Courier confirms the parcel was returned to sender.');

  dialog = await caseDialog(page, 'Upload evidence…');
  await dialog.getByLabel('File').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('just words'),
  });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose a PDF, PNG or JPEG file.');
  await dialog.getByLabel('File').setInputFiles({
    name: 'courier-receipt.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expectToast(page, 'courier-receipt.pdf added to the evidence');
  const file = evidence.getByRole('listitem').filter({ hasText: 'courier-receipt.pdf' });
  await expect(file).toContainText('application/pdf');
  await expect(file).toContainText(`${PDF.byteLength} bytes`);
  await expect(file).toContainText('Staged');
  await expect(file.getByTestId('evidence-sha256')).toHaveText(
    createHash('sha256').update(PDF).digest('hex'),
  );
  // The file is served as the PDF it was checked to be, inline and sandboxed.
  const served = await page.request.get(
    (await file.getByRole('link', { name: 'View' }).getAttribute('href')) as string,
  );
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('application/pdf');
  expect(served.headers()['content-disposition']).toContain(
    'inline; filename="courier-receipt.pdf"',
  );
  expect(served.headers()['x-content-type-options']).toBe('nosniff');
  expect(served.headers()['content-security-policy']).toContain('sandbox');
  expect(Buffer.from(await served.body()).equals(PDF)).toBe(true);
  await expectNoSeriousViolations(page);

  // Provisional credit: the whole disputed amount when left empty.
  dialog = await caseDialog(page, 'Give provisional credit…');
  await expect(dialog).toContainText('Empty: the whole disputed 40.00 USD.');
  await dialog.getByRole('button', { name: 'Give credit' }).click();
  await expectToast(page, 'Provisional credit of 40.00 USD given');
  await expect(page.getByTestId('dispute-provisional-credit')).toContainText('40.00');
  await expect(page.getByRole('button', { name: 'Give provisional credit…' })).toHaveCount(0);

  dialog = await caseDialog(page, 'Submit evidence…');
  await expect(dialog).toContainText('Submit the 2 staged notes and files.');
  await dialog.getByRole('button', { name: 'Submit evidence' }).click();
  await expectToast(page, 'Evidence submitted; the case is under review');
  await expect(summary.getByTestId('dispute-status')).toHaveText('Under review');
  await expect(evidence.getByText('Submitted', { exact: true })).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Submit evidence…' })).toHaveCount(0);
  // What was submitted is the case's evidence: nothing more can be added to it.
  await expect(page.getByRole('button', { name: 'Add note…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Upload evidence…' })).toHaveCount(0);

  // The customer spends most of the credit before the case is decided.
  await visit(page, `/accounts/${account}`);
  await expect(page.getByTestId('account-balance')).toContainText('100.00');
  dialog = await accountDialog(page, 'Withdraw');
  await dialog.getByLabel('Amount (USD)').fill('75.00');
  await dialog.getByRole('button', { name: 'Post withdrawal' }).click();
  await expectToast(page, 'Withdrawal of 75.00 USD posted');
  await expect(page.getByTestId('account-balance')).toContainText('25.00');

  // Lost: the 25.00 left is taken back, 15.00 stays owed.
  await visit(page, caseUrl);
  dialog = await caseDialog(page, 'Resolve…');
  await dialog
    .getByLabel('Outcome')
    .selectOption({ label: 'Lost: no refund, provisional credit taken back' });
  await dialog.getByLabel(/^Note/).fill('Merchant proved delivery to the right address.');
  await dialog.getByRole('button', { name: 'Resolve case' }).click();
  await expectToast(page, 'Case resolved as lost; 15.00 USD is still owed');
  await expect(summary.getByTestId('dispute-status')).toHaveText('Lost');
  await expect(page.getByTestId('dispute-clawed-back')).toContainText('25.00');
  await expect(page.getByTestId('dispute-outstanding')).toContainText('15.00');
  await expect(page.getByTestId('dispute-outcome')).toContainText(
    'Merchant proved delivery to the right address.',
  );
  // A resolved case takes no more steps, and writing off is for admins.
  await expect(page.getByTestId('case-actions')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Write off…' })).toHaveCount(0);

  // Money arriving later pays off what the account owes.
  await visit(page, `/accounts/${account}`);
  dialog = await accountDialog(page, 'Deposit');
  await dialog.getByLabel('Amount (USD)').fill('10.00');
  await dialog.getByRole('button', { name: 'Post deposit' }).click();
  await expectToast(page, 'Deposit of 10.00 USD posted');
  await expect(page.getByTestId('timeline-row').first()).toContainText(
    'Dispute shortfall collected',
  );
  await expect(page.getByTestId('account-balance')).toContainText('0.00');

  await visit(page, caseUrl);
  await expect(page.getByTestId('dispute-outstanding')).toContainText('5.00');
  await expect(history).toContainText('Dispute shortfall collected');
});

test('auditors read the queue and a case and download its package, with no controls', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '60.00' });
  const chargeId = await chargeAccount(account, '12.50', 'TXN-AUDIT');
  const disputeId = await openTestDispute(chargeId);
  await signIn(page, auditor);

  await visit(page, `/accounts/${account}`);
  await expect(page.getByRole('button', { name: 'Open dispute…' })).toHaveCount(0);

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Disputes' })
    .click();
  await page.waitForURL('**/disputes');
  await settled(page);
  await expect(page.getByRole('heading', { name: 'Disputes' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Cases by status' })).toBeVisible();
  await visit(page, `/disputes?accountId=${account}`);
  const row = page.getByTestId('dispute-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('12.50');
  await expect(row).toContainText('Duplicate');
  await expect(row).toContainText('Open');
  await expect(row).toContainText('Unassigned');
  await row.getByRole('link', { name: `Case ${disputeId.slice(-8)}` }).click();
  await page.waitForURL(`**/disputes/${disputeId}`);
  await settled(page);

  await expect(page.getByTestId('dispute-amount')).toContainText('12.50');
  await expect(page.getByRole('region', { name: 'The charge' })).toContainText('ref TXN-AUDIT');
  await expect(page.getByTestId('case-actions')).toHaveCount(0);
  for (const name of [
    'Assign…',
    'Add note…',
    'Upload evidence…',
    'Give provisional credit…',
    'Submit evidence…',
    'Resolve…',
    'Withdraw…',
    'Write off…',
  ])
    await expect(page.getByRole('button', { name })).toHaveCount(0);

  const link = page.getByRole('link', { name: 'Download evidence package' });
  await expect(link).toBeVisible();
  const download = page.waitForEvent('download');
  await link.click();
  expect((await download).suggestedFilename()).toBe(`dispute-${disputeId}.zip`);
  const zip = await page.request.get((await link.getAttribute('href')) as string);
  expect(zip.status()).toBe(200);
  expect(zip.headers()['content-type']).toBe('application/zip');
  expect(
    Buffer.from(await zip.body())
      .subarray(0, 2)
      .toString('latin1'),
  ).toBe('PK');
});

test('the queue filters by status and overdue, and the filters survive a reload', async ({
  page,
}) => {
  const support = await createTestUser('support');
  const account = await createAccount({ balance: '300.00' });
  const soon = () => new Date(Date.now() + 1500);
  const overdueOpen = await openTestDispute(await chargeAccount(account, '10.00', 'TXN-A'), {
    dueBy: soon(),
  });
  const overdueAssigned = await openTestDispute(await chargeAccount(account, '20.00', 'TXN-B'), {
    dueBy: soon(),
    assignTo: support,
  });
  const onTime = await openTestDispute(await chargeAccount(account, '30.00', 'TXN-C'));
  // The first two fall due.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await signIn(page, support);

  await visit(page, `/disputes?accountId=${account}`);
  const rows = page.getByTestId('dispute-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'Overdue' })).toHaveCount(2);
  await expectNoSeriousViolations(page);

  const filters = page.getByRole('search', { name: 'Filter cases' });
  await filters.getByLabel('Status').selectOption({ label: 'Open' });
  await filters.getByLabel('Due').selectOption({ label: 'Overdue only' });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/status=open/);
  await settled(page);
  expect(new URL(page.url()).searchParams.get('overdue')).toBe('true');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Case ${overdueOpen.slice(-8)}`);

  await page.reload();
  await settled(page);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Case ${overdueOpen.slice(-8)}`);
  await expect(filters.getByLabel('Status')).toHaveValue('open');
  await expect(filters.getByLabel('Due')).toHaveValue('true');

  // Not overdue, any status: only the case still on time.
  await filters.getByLabel('Status').selectOption({ label: 'Any' });
  await filters.getByLabel('Due').selectOption({ label: 'Not overdue' });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/overdue=false/);
  await settled(page);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Case ${onTime.slice(-8)}`);

  // Needs response: the assigned one, with its assignee's name.
  await visit(page, `/disputes?accountId=${account}&status=needs_response`);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`Case ${overdueAssigned.slice(-8)}`);
  await expect(rows).toContainText(support.name);

  // Parameters that make no sense get a clear message, not an error page.
  await visit(page, '/disputes?status=lost-and-found');
  await expect(page.getByTestId('filter-error')).toContainText(
    'The status is one of: Open, Needs response',
  );
  await expect(page.getByText('Correct the filters to see cases.')).toBeVisible();
  await visit(page, '/disputes?cursor=not-a-cursor');
  await expect(page.getByTestId('filter-error')).toHaveText(
    'This cursor is not one Chronicle gave out.',
  );
});

test('evidence files up to 5 MiB are accepted; a larger one is refused in the dialog', async ({
  page,
}) => {
  const support = await createTestUser('support');
  const account = await createAccount({ balance: '80.00' });
  const disputeId = await openTestDispute(await chargeAccount(account, '8.00', 'TXN-BIG'));
  await signIn(page, support);
  await visit(page, `/disputes/${disputeId}`);

  const largest = Buffer.alloc(EVIDENCE_MAX_BYTES, 0x20);
  PDF.copy(largest);
  let dialog = await caseDialog(page, 'Upload evidence…');
  await dialog.getByLabel('File').setInputFiles({
    name: 'statement-scan.pdf',
    mimeType: 'application/pdf',
    buffer: largest,
  });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expectToast(page, 'statement-scan.pdf added to the evidence');
  const evidence = page.getByRole('region', { name: 'Evidence' });
  await expect(evidence.getByTestId('evidence-sha256')).toHaveText(
    createHash('sha256').update(largest).digest('hex'),
  );
  await expect(evidence).toContainText('5.0 MiB (5,242,880 bytes)');

  dialog = await caseDialog(page, 'Upload evidence…');
  await dialog.getByLabel('File').setInputFiles({
    name: 'too-big.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([largest, Buffer.from('x')]),
  });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Evidence files are at most 5 MiB each.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(evidence.getByTestId('evidence-item')).toHaveCount(1);
});

test('the case page and the queue update live when someone else works the case', async ({
  page,
}) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '50.00' });
  const charge = await chargeAccount(account, '20.00', 'LIVE-CASE');
  const disputeId = await openTestDispute(charge);
  await signIn(page, auditor);
  await visit(page, `/disputes/${disputeId}`);
  await expect(page.getByTestId('live-status').filter({ visible: true })).toHaveAttribute(
    'data-status',
    'live',
  );
  // A colleague adds a note and credits the customer, elsewhere: no reload here.
  await addDisputeNote({
    disputeId,
    input: { text: 'Merchant says the order was cancelled' },
    context: system(),
  });
  await expect(page.getByText('Merchant says the order was cancelled').first()).toBeVisible({
    timeout: 15_000,
  });
  await giveProvisionalCredit({ disputeId, input: {}, context: system() });
  await expect(page.getByText('Provisional credit given').first()).toBeVisible({
    timeout: 15_000,
  });

  await visit(page, `/disputes?status=open`);
  await expect(page.getByTestId('live-status').filter({ visible: true })).toHaveAttribute(
    'data-status',
    'live',
  );
  const other = await chargeAccount(account, '5.00', 'LIVE-QUEUE');
  const second = await openTestDispute(other);
  await expect(page.locator(`[data-dispute-id="${second}"]`)).toBeVisible({ timeout: 15_000 });
});

test('the upload route takes files only from the case page of someone allowed to work cases', async ({
  page,
  baseURL,
}) => {
  const auditor = await createTestUser('auditor');
  const account = await createAccount({ balance: '50.00' });
  const disputeId = await openTestDispute(await chargeAccount(account, '20.00', 'UPLOAD-ROUTE'));
  await signIn(page, auditor);
  const post = (origin: string) =>
    page.request.post(`/api/disputes/${disputeId}/evidence`, {
      headers: { origin },
      multipart: {
        disputeId,
        idempotencyKey: randomUUID(),
        file: { name: 'a.pdf', mimeType: 'application/pdf', buffer: PDF },
      },
    });
  const asAuditor = (await (await post(baseURL as string)).json()) as { code: string };
  expect(asAuditor.code).toBe('forbidden');

  const support = await createTestUser('support');
  await page.context().clearCookies();
  await signIn(page, support);
  const elsewhere = (await (await post('https://attacker.example')).json()) as { code: string };
  expect(elsewhere.code).toBe('forbidden');
  const accepted = (await (await post(baseURL as string)).json()) as { status: string };
  expect(accepted.status).toBe('success');
  await visit(page, `/disputes/${disputeId}`);
  await expect(page.getByText('a.pdf').first()).toBeVisible();
});
