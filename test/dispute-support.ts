// Helpers shared by the dispute integration tests: a charge to dispute, a case on it, staff to
// assign it to, real evidence files, and the counts that prove a step wrote nothing.

import { randomUUID } from 'node:crypto';
import type { Role } from '../lib/auth/permissions';
import { getPool } from '../lib/server/db/pool';
import { withdrawFunds } from '../lib/server/commands/withdraw-funds';
import { openDispute } from '../lib/server/disputes/open-dispute';
import { createUser } from '../lib/server/users/create-user';
import { context, openTestAccount, tableCounts } from './support';

/** The smallest file each sniffer accepts, as real files: each opens in an image viewer. */
export const EVIDENCE_BYTES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  /** A 1×1 grey PNG: signature, IHDR, one zlib-compressed IDAT row, IEND (CRCs valid). */
  png: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg==',
    'base64',
  ),
  /** A 1×1 baseline JPEG (SOI, quantisation and Huffman tables, SOF0, SOS, EOI), made by libvips. */
  jpeg: Buffer.from(
    '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKAAD//Z',
    'base64',
  ),
} as const;

/** The same kind of file with different bytes (and so a different hash): a trailing comment. */
export function uniquePdf(): Buffer {
  return Buffer.concat([EVIDENCE_BYTES.pdf, Buffer.from(`% ${randomUUID()}\n`)]);
}

/** An account with `balance`, charged `charge` by a withdrawal: the charge to dispute. */
export async function charged(balance: string, charge: string) {
  const accountId = await openTestAccount({ balance });
  const result = await withdrawFunds({ accountId, input: { amount: charge }, context: context() });
  return { accountId, chargeEventId: result.events[0]?.eventId as string };
}

/** Opens a fraud case on the charge (with a fresh key) and returns its id. */
export async function opened(chargeEventId: string): Promise<string> {
  const result = await openDispute({
    input: { chargeEventId, reasonCode: 'fraudulent', description: 'Not me' },
    context: context(),
  });
  return result.disputes[0]?.id as string;
}

export async function staff(role: Role, name: string = role) {
  return createUser({
    input: {
      email: `${role}-${randomUUID()}@example.com`,
      name,
      role,
      password: 'correct horse battery',
    },
    actor: 'system:test',
  });
}

interface CaseCounts {
  disputes: number;
  dispute_files: number;
  case_events: number;
}

/**
 * Everything a dispute step could write: the ledger’s tables, the cases and the stored files;
 * and the events of this case’s stream.
 */
export async function disputeCounts(disputeId?: string) {
  const extra = await getPool().query<CaseCounts>(
    `SELECT (SELECT count(*) FROM disputes)::int AS disputes,
            (SELECT count(*) FROM dispute_files)::int AS dispute_files,
            (SELECT count(*) FROM events WHERE stream_id = $1)::int AS case_events`,
    [`dispute-${disputeId ?? ''}`],
  );
  return { ...(await tableCounts()), ...(extra.rows[0] as CaseCounts) };
}
