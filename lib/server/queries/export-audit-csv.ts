// The audit CSV export: streamed page by page, never built in memory, so exporting a million
// events costs a page of memory.

import { accountIdOfStream, movementOf } from '../../ledger/events';
import { formatAmount } from '../../ledger/money';
import { canonicalInstant } from '../../ledger/hash-chain';
import type { AuditFilters } from '../../schemas/audit-filters';
import type { Queryable } from '../db/pool';
import type { RecordedEvent } from '../event-store/types';
import { errorMessage, logLine } from '../log';
import { iterateAuditEvents } from './list-audit-events';

export const CSV_COLUMNS = [
  'position',
  'event_id',
  'occurred_at',
  'recorded_at',
  'account_id',
  'version',
  'type',
  'amount',
  'currency',
  'actor',
  'approved_by',
  'effective_at',
  'correlation_id',
  'causation_id',
  'details',
  'hash',
  'prev_hash',
] as const;

/** Quotes a CSV cell, and defuses text a spreadsheet would run as a formula. */
export function csvCell(value: string, isText = true): string {
  const safe = isText && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function eventToCsvRow(event: RecordedEvent): string {
  const movement = movementOf(event);
  const {
    amountMinor: _amount,
    currency: _currency,
    ...details
  } = event.data as Record<string, unknown>;
  const cells: Array<[string, boolean]> = [
    [event.globalPosition.toString(), false],
    [event.eventId, true],
    [canonicalInstant(event.occurredAt), false],
    [canonicalInstant(event.recordedAt), false],
    [accountIdOfStream(event.streamId) ?? event.streamId, true],
    [String(event.streamVersion), false],
    [event.type, true],
    [movement ? formatAmount(movement.deltaMinor, movement.currency) : '', false],
    [movement?.currency ?? '', true],
    [event.metadata.actor, true],
    [event.metadata.approvedBy ?? '', true],
    [
      typeof event.data.effectiveAt === 'string'
        ? event.data.effectiveAt
        : canonicalInstant(event.occurredAt),
      false,
    ],
    [event.metadata.correlationId, true],
    [event.metadata.causationId ?? '', true],
    [JSON.stringify(details), true],
    [event.hash, true],
    [event.prevHash, true],
  ];
  return cells.map(([value, isText]) => csvCell(value, isText)).join(',');
}

export function exportAuditCsv(options: {
  filters: AuditFilters;
  db?: Queryable;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = iterateAuditEvents({ filters: options.filters, db: options.db });
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(',')}\r\n`));
        return;
      }
      try {
        const next = await pages.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(
          encoder.encode(next.value.map((event) => `${eventToCsvRow(event)}\r\n`).join('')),
        );
      } catch (error) {
        logLine('error', 'audit export failed', { error: errorMessage(error) });
        controller.error(new Error('export failed'));
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}
