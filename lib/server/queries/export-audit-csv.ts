// The audit CSV export: streamed page by page, never built in memory, so exporting a million
// events costs a page of memory.

import { decodeLedgerEvent, balanceDelta, ACCOUNT_STREAM_PREFIX } from '../../ledger/events';
import { formatAmount } from '../../ledger/money';
import { isCurrencyCode } from '../../ledger/currencies';
import { canonicalInstant } from '../../ledger/hash-chain';
import type { AuditFilters } from '../../schemas/audit-filters';
import type { RecordedEvent } from '../event-store/types';
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
  let amount = '';
  let currency = '';
  try {
    const decoded = decodeLedgerEvent(event);
    const code = 'currency' in decoded.data ? decoded.data.currency : undefined;
    if (code && isCurrencyCode(code)) {
      currency = code;
      amount = formatAmount(balanceDelta(decoded), code);
    }
  } catch {
    // Not a ledger event: exported without an amount.
  }
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
    [
      event.streamId.startsWith(ACCOUNT_STREAM_PREFIX)
        ? event.streamId.slice(ACCOUNT_STREAM_PREFIX.length)
        : event.streamId,
      true,
    ],
    [String(event.streamVersion), false],
    [event.type, true],
    [amount, false],
    [currency, true],
    [event.metadata.actor, true],
    [event.metadata.correlationId, true],
    [event.metadata.causationId ?? '', true],
    [JSON.stringify(details), true],
    [event.hash, true],
    [event.prevHash, true],
  ];
  return cells.map(([value, isText]) => csvCell(value, isText)).join(',');
}

export function exportAuditCsv(options: { filters: AuditFilters }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = iterateAuditEvents({ filters: options.filters });
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
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'audit export failed',
            error: error instanceof Error ? error.message : String(error),
          }),
        );
        controller.error(new Error('export failed'));
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}
