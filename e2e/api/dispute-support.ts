// Dispute cases for API tests: a charged account with a case on it, set up through the use cases,
// and multipart uploads (the evidence endpoint takes files, not JSON).

import { randomUUID } from 'node:crypto';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { giveProvisionalCredit } from '../../lib/server/disputes/give-provisional-credit';
import { openDispute } from '../../lib/server/disputes/open-dispute';
import { resolveDispute } from '../../lib/server/disputes/resolve-dispute';
import { withdrawFunds } from '../../lib/server/commands/withdraw-funds';
import { chargeAccount, createAccount } from '../support/ledger';

const system = () => ({ actor: 'system:e2e', idempotencyKey: randomUUID() });

/** A small, valid PDF: what card networks accept as evidence. */
export const SAMPLE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** An account charged `charge`, with a case open on that charge. */
export async function openTestDispute(
  options: { balance?: string; charge?: string; amount?: string } = {},
) {
  const account = await createAccount({ balance: options.balance ?? '100.00' });
  const charge = await chargeAccount(account, options.charge ?? '40.00', 'DISPUTED');
  const result = await openDispute({
    input: {
      chargeEventId: charge,
      reasonCode: 'product_not_received',
      description: 'Never arrived',
      ...(options.amount ? { amount: options.amount } : {}),
    },
    context: system(),
  });
  return { account, charge, disputeId: result.disputes[0]?.id as string };
}

/** A case lost after its provisional credit was spent: the account owes what it could not repay. */
export async function lostDisputeWithShortfall() {
  const opened = await openTestDispute({ balance: '40.00', charge: '40.00' });
  await giveProvisionalCredit({ disputeId: opened.disputeId, input: {}, context: system() });
  await withdrawFunds({ accountId: opened.account, input: { amount: '30.00' }, context: system() });
  await resolveDispute({
    disputeId: opened.disputeId,
    outcome: 'lost',
    note: 'Delivery proven',
    context: system(),
  });
  return opened;
}

/** POSTs one file as multipart/form-data, with an API key and an idempotency key. */
export function uploadEvidence(
  request: APIRequestContext,
  key: string | null,
  path: string,
  file: { name: string; mimeType: string; buffer: Buffer },
  options: { idempotencyKey?: string } = {},
): Promise<APIResponse> {
  return request.post(path, {
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      'Idempotency-Key': options.idempotencyKey ?? randomUUID(),
    },
    multipart: { file },
  });
}
