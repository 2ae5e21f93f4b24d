/** A full re-verification as the API and the audit page show it. */
export interface VerificationRun {
  readonly id: string;
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly requestedBy: string;
  readonly requestedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly totalEvents: number | null;
  readonly checkedEvents: number;
  /** Null until it has succeeded. */
  readonly ok: boolean | null;
}

export const VERIFICATION_RUN_COLUMNS = `id::text AS id, status, requested_by, requested_at, started_at, finished_at,
  total_events::text AS total_events, checked_events::text AS checked_events, ok`;

interface VerificationRunRow {
  id: string;
  status: VerificationRun['status'];
  requested_by: string;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  total_events: string | null;
  checked_events: string;
  ok: boolean | null;
}

export function toVerificationRun(row: unknown): VerificationRun {
  const run = row as VerificationRunRow;
  return {
    id: run.id,
    status: run.status,
    requestedBy: run.requested_by,
    requestedAt: run.requested_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    totalEvents: run.total_events === null ? null : Number(run.total_events),
    checkedEvents: Number(run.checked_events),
    ok: run.ok,
  };
}
