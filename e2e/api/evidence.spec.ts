// Evidence over HTTP, as an auditor takes it away: the public key, the checkpoints, an event's
// inclusion proof and a signed statement — each checked with the offline verifier run exactly as
// the auditor would run it, on another machine, with nothing but Node.js.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import {
  checkpointPage,
  proofDocumentResource,
  publicKeyResource,
  signedCheckpointResource,
  signedStatementResource,
} from '../../lib/schemas/api-resources';
import { chargeAccount, createAccount, waitUntilSealed } from '../support/ledger';
import { asClient, client, expectBody, expectProblem } from './support';

const run = promisify(execFile);
const VERIFIER = path.join(process.cwd(), 'verifier', 'chronicle-verify.mjs');

/** Runs the offline verifier on `document`; its exit code and what it printed. */
async function verifyOffline(document: unknown, publicKey: unknown) {
  const directory = await mkdtemp(path.join(tmpdir(), 'chronicle-evidence-'));
  const file = path.join(directory, 'document.json');
  const key = path.join(directory, 'key.jwk');
  await writeFile(file, JSON.stringify(document));
  await writeFile(key, JSON.stringify(publicKey));
  try {
    const { stdout } = await run(process.execPath, [VERIFIER, file, '--public-key', key]);
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

test('the public key, the checkpoints and an event’s proof, checked offline', async ({
  request,
}) => {
  const auditor = await asClient(request, 'auditor');
  // The key is public: no API key needed.
  const key = await expectBody(
    await client(request, null).get('/api/v1/checkpoints/public-key'),
    200,
    publicKeyResource,
  );
  expect(key.pem).toContain('BEGIN PUBLIC KEY');

  const account = await createAccount({ balance: '40.00' });
  const charge = await chargeAccount(account, '12.34', 'PROOF-1');
  await waitUntilSealed();

  const page = await expectBody(
    await auditor.get('/api/v1/checkpoints?after=0&limit=100'),
    200,
    checkpointPage,
  );
  expect(page.items[0]?.checkpoint.number).toBe(1);
  expect(page.items.every((item) => item.checkpoint.keyId === key.keyId)).toBe(true);
  const first = await expectBody(
    await auditor.get('/api/v1/checkpoints/1'),
    200,
    signedCheckpointResource,
  );
  expect(first).toEqual(page.items[0]);

  const proof = await expectBody(
    await auditor.get(`/api/v1/events/${charge}/proof`),
    200,
    proofDocumentResource,
  );
  expect(proof).toMatchObject({
    status: 'sealed',
    event: { eventId: charge, type: 'funds_withdrawn' },
  });
  const checked = await verifyOffline(proof, key.jwk);
  expect(checked.output).toContain('VERDICT: VALID');
  expect(checked.code).toBe(0);

  // The same proof with the amount changed: caught offline.
  const forged = structuredClone(proof);
  forged.event.data.amountMinor = '1';
  const refused = await verifyOffline(forged, key.jwk);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain('VERDICT: INVALID');

  await expectProblem(
    await auditor.get('/api/v1/events/00000000-0000-7000-8000-000000000000/proof'),
    404,
    'not_found',
  );
  await expectProblem(await auditor.get('/api/v1/checkpoints/999999'), 404, 'not_found');
  await expectProblem(await auditor.get('/api/v1/checkpoints/first'), 404, 'not_found');
  await expectProblem(await auditor.get('/api/v1/checkpoints?limit=0'), 400, 'validation_error');
});

test('a signed statement, checked offline, and what it refuses', async ({ request }) => {
  const support = await asClient(request, 'support');
  const auditor = await asClient(request, 'auditor');
  const key = await expectBody(
    await client(request, null).get('/api/v1/checkpoints/public-key'),
    200,
    publicKeyResource,
  );
  const before = new Date(Date.now() - 1_000).toISOString();
  const account = await createAccount({ balance: '100.00' });
  await chargeAccount(account, '30.00', 'STMT-1');
  await support.post(`/api/v1/accounts/${account}/deposits`, { amount: '5.25' });
  await waitUntilSealed();

  const statement = await expectBody(
    await auditor.get(`/api/v1/accounts/${account}/statement?from=${before}`),
    200,
    signedStatementResource,
  );
  expect(statement.statement).toMatchObject({
    account: { id: account, currency: 'USD', currencyExponent: 2 },
    openingBalanceMinor: '0',
    closingBalanceMinor: '7525',
    totals: { creditsMinor: '10525', debitsMinor: '3000' },
    anchor: null,
    keyId: key.keyId,
  });
  expect(statement.statement.lines.every((line) => line.proof !== null)).toBe(true);
  const checked = await verifyOffline(statement, key.jwk);
  expect(checked.output).toContain('VERDICT: VALID');
  expect(checked.code).toBe(0);

  // A line's balance changed after signing: the signature, and the arithmetic, fail offline.
  const forged = structuredClone(statement);
  const last = forged.statement.lines[forged.statement.lines.length - 1];
  if (!last) throw new Error('the statement has lines');
  last.balanceAfterMinor = '9999999';
  forged.statement.closingBalanceMinor = '9999999';
  const refused = await verifyOffline(forged, key.jwk);
  expect(refused.code).toBe(1);

  await expectProblem(
    await auditor.get(
      `/api/v1/accounts/${account}/statement?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z`,
    ),
    400,
    'validation_error',
  );
  await expectProblem(
    await auditor.get(`/api/v1/accounts/${account}/statement`),
    400,
    'validation_error',
  );
  await expectProblem(
    await auditor.get(`/api/v1/accounts/acc_missing_statement/statement?from=${before}`),
    404,
    'not_found',
  );
});
