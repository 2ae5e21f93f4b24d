import type { Queryable } from '../db/pool';
import {
  VERIFICATION_RUN_COLUMNS,
  toVerificationRun,
  type VerificationRun,
} from './verification-run';

/** A full re-verification by id, with its progress; null when there is none. */
export async function getVerificationRun(options: {
  id: string;
  db: Queryable;
}): Promise<VerificationRun | null> {
  if (!/^\d{1,18}$/.test(options.id)) return null;
  const result = await options.db.query(
    `SELECT ${VERIFICATION_RUN_COLUMNS} FROM integrity_runs WHERE id = $1`,
    [options.id],
  );
  return result.rows[0] ? toVerificationRun(result.rows[0]) : null;
}
