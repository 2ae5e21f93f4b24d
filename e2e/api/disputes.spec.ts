// Dispute cases over HTTP, as an integrator (a card processor's chargeback feed, a support tool)
// would drive them: open on a charge, assign, note, upload evidence, credit provisionally, submit,
// resolve — every answer checked against the resource schemas, every refusal with its documented
// code and status, and the evidence package checked with the offline verifier.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import {
  accountResource,
  disputePage,
  disputeResource,
  eventFeedPage,
} from '../../lib/schemas/api-resources';
import { readZipArchive } from '../../lib/server/zip/zip-archive';
import {
  chargeAccount,
  createAccount,
  createTestUser,
  eventCount,
  waitUntilSealed,
} from '../support/ledger';
import {
  SAMPLE_PDF,
  lostDisputeWithShortfall,
  openTestDispute,
  uploadEvidence,
} from './dispute-support';
import { apiKeyFor, asClient, client, expectBody, expectProblem, type Client } from './support';

const run = promisify(execFile);

/** Reads the global feed from `after` to its end: the events and where it ended. */
async function readFeed(api: Client, after: string) {
  const items: Array<{ streamId: string; type: string }> = [];
  let next = after;
  for (;;) {
    const page = await expectBody(
      await api.get(`/api/v1/events?after=${next}&limit=1000`),
      200,
      eventFeedPage,
    );
    items.push(...page.items);
    if (page.next === next) return { items, next };
    next = page.next;
  }
}

test('a case from complaint to a won outcome; the money follows exactly once', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const auditor = await asClient(request, 'auditor');
  const { next: feedStart } = await readFeed(auditor, '0');
  const account = await createAccount({ balance: '100.00' });
  const charge = await chargeAccount(account, '60.00', 'ORDER-7');

  const openedResponse = await support.post('/api/v1/disputes', {
    chargeEventId: charge,
    amount: '50.00',
    reasonCode: 'product_not_received',
    description: 'The parcel never came',
  });
  const opened = await expectBody(openedResponse, 201, disputeResource);
  expect(openedResponse.headers().location).toBe(`/api/v1/disputes/${opened.id}`);
  expect(openedResponse.headers().etag).toBe('"1"');
  expect(opened).toMatchObject({
    accountId: account,
    chargeEventId: charge,
    amount: '50.00',
    currency: 'USD',
    status: 'open',
    assigneeId: null,
    overdue: false,
    provisionalCredit: '0.00',
    outstandingAmount: '0.00',
    evidence: [],
  });
  // The default due date: 30 days for product_not_received.
  expect(Date.parse(opened.dueBy) - Date.parse(opened.createdAt)).toBe(30 * 86_400_000);

  const assignee = await createTestUser('support');
  const assigned = await expectBody(
    await support.post(`/api/v1/disputes/${opened.id}/assign`, { assigneeId: assignee.id }),
    200,
    disputeResource,
  );
  expect(assigned).toMatchObject({ status: 'needs_response', assigneeId: assignee.id });
  await expectBody(
    await support.post(`/api/v1/disputes/${opened.id}/notes`, { text: 'Courier has no scan' }),
    200,
    disputeResource,
  );
  const uploaded = await expectBody(
    await uploadEvidence(
      request,
      await apiKeyFor('support'),
      `/api/v1/disputes/${opened.id}/evidence`,
      {
        name: 'courier-letter.pdf',
        mimeType: 'application/pdf',
        buffer: SAMPLE_PDF,
      },
    ),
    200,
    disputeResource,
  );
  const file = uploaded.evidence[1];
  expect(file).toMatchObject({
    kind: 'file',
    fileName: 'courier-letter.pdf',
    contentType: 'application/pdf',
    submitted: false,
  });
  expect(file?.sha256).toMatch(/^[0-9a-f]{64}$/);

  const credited = await expectBody(
    await support.post(`/api/v1/disputes/${opened.id}/provisional-credit`, { amount: '20.00' }),
    200,
    disputeResource,
  );
  expect(credited.provisionalCredit).toBe('20.00');
  const submitted = await expectBody(
    await support.post(
      `/api/v1/disputes/${opened.id}/submit`,
      {},
      { headers: { 'If-Match': `"${credited.version}"` } },
    ),
    200,
    disputeResource,
  );
  expect(submitted.status).toBe('under_review');
  expect(submitted.evidence.every((item) => item.submitted)).toBe(true);
  await expectProblem(
    await support.post(`/api/v1/disputes/${opened.id}/notes`, { text: 'Too late' }),
    409,
    'invalid_transition',
  );

  const won = await expectBody(
    await support.post(`/api/v1/disputes/${opened.id}/resolve`, {
      outcome: 'won',
      note: 'Issuer sided with the customer',
    }),
    200,
    disputeResource,
  );
  expect(won).toMatchObject({
    status: 'won',
    outcome: 'won',
    refundedAmount: '30.00',
    provisionalCredit: '20.00',
  });
  // 100 − 60 + 20 provisional + 30 refund: the disputed 50 came back exactly once.
  expect(
    await expectBody(await auditor.get(`/api/v1/accounts/${account}`), 200, accountResource),
  ).toMatchObject({
    balance: '90.00',
  });
  // Only the 10.00 not disputed is left to reverse by hand.
  await expectProblem(
    await support.post('/api/v1/reversals', {
      originalEventId: charge,
      amount: '10.01',
      reason: 'x',
    }),
    409,
    'reversal_exceeds_original',
  );
  await expectProblem(
    await support.post(`/api/v1/disputes/${opened.id}/resolve`, { outcome: 'lost', note: 'again' }),
    409,
    'invalid_transition',
  );

  // The case's events are in the global feed, like every other fact. The feed shows only what no
  // transaction still in flight (another test's) can precede, so it may take a moment.
  const caseEventsInFeed = async () =>
    (await readFeed(auditor, feedStart)).items
      .filter((event) => event.streamId === `dispute-${opened.id}`)
      .map((event) => event.type);
  await expect
    .poll(caseEventsInFeed)
    .toEqual([
      'dispute_opened',
      'dispute_assigned',
      'dispute_note_added',
      'dispute_evidence_added',
      'dispute_provisional_credit_given',
      'dispute_evidence_submitted',
      'dispute_resolved',
    ]);

  const page = await expectBody(
    await auditor.get(`/api/v1/disputes?accountId=${account}`),
    200,
    disputePage,
  );
  expect(page.items.map((item) => item.id)).toEqual([opened.id]);
  expect(
    await expectBody(await auditor.get(`/api/v1/disputes/${opened.id}`), 200, disputeResource),
  ).toMatchObject({
    status: 'won',
    version: won.version,
  });
});

test('a lost case leaves a shortfall that a later deposit collects, or an admin writes off', async ({
  request,
}) => {
  const support = await asClient(request, 'support');
  const admin = await asClient(request, 'admin');
  const first = await lostDisputeWithShortfall();
  const lost = await expectBody(
    await support.get(`/api/v1/disputes/${first.disputeId}`),
    200,
    disputeResource,
  );
  expect(lost).toMatchObject({
    status: 'lost',
    clawedBackAmount: '10.00',
    outstandingAmount: '30.00',
  });
  const deposit = await support.post(`/api/v1/accounts/${first.account}/deposits`, {
    amount: '25.00',
  });
  expect(deposit.status()).toBe(201);
  expect(
    ((await deposit.json()) as { events: Array<{ type: string }> }).events.map(
      (event) => event.type,
    ),
  ).toEqual(['funds_deposited', 'shortfall_collected']);
  expect(
    (
      await expectBody(
        await support.get(`/api/v1/disputes/${first.disputeId}`),
        200,
        disputeResource,
      )
    ).outstandingAmount,
  ).toBe('5.00');
  await expectProblem(
    await support.post(`/api/v1/disputes/${first.disputeId}/write-off`, { reason: 'x' }),
    403,
    'forbidden',
  );
  const written = await expectBody(
    await admin.post(`/api/v1/disputes/${first.disputeId}/write-off`, { reason: 'Customer left' }),
    200,
    disputeResource,
  );
  expect(written).toMatchObject({ outstandingAmount: '0.00', writtenOffAmount: '5.00' });
  await expectProblem(
    await admin.post(`/api/v1/disputes/${first.disputeId}/write-off`, { reason: 'again' }),
    409,
    'nothing_outstanding',
  );
});

test('every refusal has its code, and a refused request writes nothing', async ({ request }) => {
  const support = await asClient(request, 'support');
  const key = await apiKeyFor('support');
  const { account, charge, disputeId } = await openTestDispute({
    charge: '40.00',
    amount: '10.00',
  });
  const before = await eventCount(account);

  await expectProblem(
    await support.post('/api/v1/disputes', {
      chargeEventId: charge,
      reasonCode: 'general',
      description: 'again',
    }),
    409,
    'dispute_exists',
  );
  const other = await createAccount({ balance: '10.00' });
  const otherCharge = await chargeAccount(other, '5.00', 'X');
  await expectProblem(
    await support.post('/api/v1/disputes', {
      chargeEventId: otherCharge,
      amount: '5.01',
      reasonCode: 'general',
      description: 'x',
    }),
    409,
    'amount_exceeds_reversible',
  );
  const deposit = await support.post(`/api/v1/accounts/${other}/deposits`, { amount: '1.00' });
  const depositEvent = ((await deposit.json()) as { events: Array<{ id: string }> }).events[0]?.id;
  await expectProblem(
    await support.post('/api/v1/disputes', {
      chargeEventId: depositEvent,
      reasonCode: 'general',
      description: 'x',
    }),
    422,
    'not_reversible',
  );
  await expectProblem(
    await support.post('/api/v1/disputes', {
      chargeEventId: charge,
      reasonCode: 'because',
      description: 'x',
    }),
    400,
    'validation_error',
  );
  await expectProblem(await support.get('/api/v1/disputes/not-a-case'), 404, 'not_found');
  await expectProblem(
    await support.post(`/api/v1/disputes/${disputeId}/submit`, {}),
    400,
    'validation_error',
  );
  await expectProblem(
    await support.post(`/api/v1/disputes/${disputeId}/provisional-credit`, { amount: '10.01' }),
    409,
    'amount_exceeds_reversible',
  );
  await expectProblem(
    await support.post(
      `/api/v1/disputes/${disputeId}/notes`,
      { text: 'x' },
      { headers: { 'If-Match': '"7"' } },
    ),
    412,
    'concurrency_conflict',
  );
  await expectProblem(
    await uploadEvidence(request, key, `/api/v1/disputes/${disputeId}/evidence`, {
      name: 'page.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<html><script>alert(1)</script></html>'),
    }),
    415,
    'unsupported_media_type',
  );
  await expectProblem(
    await uploadEvidence(request, key, `/api/v1/disputes/${disputeId}/evidence`, {
      name: 'disguised.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ not a pdf'),
    }),
    415,
    'unsupported_media_type',
  );
  const tooBig = Buffer.concat([SAMPLE_PDF, Buffer.alloc(5 * 1024 * 1024)]);
  await expectProblem(
    await uploadEvidence(request, key, `/api/v1/disputes/${disputeId}/evidence`, {
      name: 'huge.pdf',
      mimeType: 'application/pdf',
      buffer: tooBig,
    }),
    413,
    'payload_too_large',
  );
  await expectProblem(
    await support.post(`/api/v1/disputes/${disputeId}/evidence`, { file: 'x' }),
    415,
    'unsupported_media_type',
  );
  expect(await eventCount(account)).toBe(before);
  const unchanged = await expectBody(
    await support.get(`/api/v1/disputes/${disputeId}`),
    200,
    disputeResource,
  );
  expect(unchanged).toMatchObject({ version: 1, evidence: [], provisionalCredit: '0.00' });
});

test('the queue filters by status, reason, account, assignee and overdue, page by page', async ({
  request,
}) => {
  const auditor = await asClient(request, 'auditor');
  const support = await asClient(request, 'support');
  const account = await createAccount({ balance: '100.00' });
  const ids: string[] = [];
  for (const [index, reasonCode] of (['duplicate', 'fraudulent', 'duplicate'] as const).entries()) {
    const charge = await chargeAccount(account, '5.00', `Q-${index}`);
    const body = await expectBody(
      await support.post('/api/v1/disputes', {
        chargeEventId: charge,
        reasonCode,
        description: 'queue',
        dueBy: new Date(Date.now() + (index + 1) * 86_400_000).toISOString(),
      }),
      201,
      disputeResource,
    );
    ids.push(body.id);
  }
  const list = async (query: string) =>
    (
      await expectBody(
        await auditor.get(`/api/v1/disputes?accountId=${account}&${query}`),
        200,
        disputePage,
      )
    ).items.map((item) => item.id);
  expect(await list('')).toEqual([...ids].reverse());
  expect(await list('sort=urgent')).toEqual(ids);
  expect(await list('reasonCode=duplicate')).toEqual([ids[2], ids[0]]);
  expect(await list('status=open&assignee=none')).toHaveLength(3);
  expect(await list('overdue=true')).toEqual([]);
  const first = await expectBody(
    await auditor.get(`/api/v1/disputes?accountId=${account}&limit=2`),
    200,
    disputePage,
  );
  expect(first.items).toHaveLength(2);
  const second = await expectBody(
    await auditor.get(`/api/v1/disputes?accountId=${account}&limit=2&cursor=${first.nextCursor}`),
    200,
    disputePage,
  );
  expect(second).toMatchObject({ nextCursor: null });
  expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
  await expectProblem(await auditor.get('/api/v1/disputes?overdue=maybe'), 400, 'validation_error');
  await expectProblem(await auditor.get('/api/v1/disputes?cursor=bm9wZQ'), 400, 'validation_error');
});

test('the evidence package verifies offline, and a changed file does not', async ({ request }) => {
  const support = await asClient(request, 'support');
  const auditor = await asClient(request, 'auditor');
  const { disputeId } = await openTestDispute();
  await uploadEvidence(
    request,
    await apiKeyFor('support'),
    `/api/v1/disputes/${disputeId}/evidence`,
    {
      name: 'receipt.pdf',
      mimeType: 'application/pdf',
      buffer: SAMPLE_PDF,
    },
  );
  await support.post(`/api/v1/disputes/${disputeId}/provisional-credit`, {});
  await support.post(`/api/v1/disputes/${disputeId}/resolve`, { outcome: 'won', note: 'ok' });
  await waitUntilSealed();

  const response = await auditor.get(`/api/v1/disputes/${disputeId}/package`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/zip');
  expect(response.headers()['content-disposition']).toContain(`dispute-${disputeId}.zip`);
  const archive = Buffer.from(await response.body());
  const names = readZipArchive(archive).map((entry) => entry.name);
  expect(names).toEqual(
    expect.arrayContaining(['README.txt', 'case.json', 'statement.json', 'evidence/manifest.json']),
  );
  // One proof per event of the case: opened, evidence added, provisional credit, resolved.
  expect(names.filter((name) => name.startsWith('proofs/'))).toHaveLength(4);
  // Files are named by the case (the uploader's name is in the manifest), never by the uploader.
  const evidenceName = names.find((name) => /^evidence\/1-[0-9a-f-]{36}\.pdf$/.test(name));
  expect(evidenceName).toBeDefined();

  const key = await client(request, null).get('/api/v1/checkpoints/public-key');
  const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-package-'));
  const keyFile = path.join(directory, 'chronicle.jwk');
  await writeFile(keyFile, JSON.stringify(((await key.json()) as { jwk: unknown }).jwk));
  const verify = async (file: string) => {
    try {
      const { stdout } = await run(process.execPath, [
        path.join(process.cwd(), 'verifier', 'chronicle-verify.mjs'),
        file,
        '--public-key',
        keyFile,
      ]);
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, output: failed.stdout };
    }
  };
  const good = path.join(directory, 'package.zip');
  await writeFile(good, archive);
  const verdict = await verify(good);
  expect(verdict.code, verdict.output).toBe(0);

  // The same package with one byte of the evidence file changed (its CRC fixed up by rewriting).
  const { zipArchive } = await import('../../lib/server/zip/zip-archive');
  const tampered = readZipArchive(archive).map((entry) =>
    entry.name === evidenceName
      ? {
          name: entry.name,
          bytes: Buffer.from(Buffer.from(entry.bytes).toString().replace('Catalog', 'Catalug')),
        }
      : entry,
  );
  const bad = path.join(directory, 'tampered.zip');
  await writeFile(bad, zipArchive(tampered));
  const caught = await verify(bad);
  expect(caught.code, caught.output).toBe(1);
  expect(caught.output).toContain(evidenceName);
});
