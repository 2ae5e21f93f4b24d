// Batches of projection rows go to PostgreSQL as JSON array parameters with named columns: a
// statement stays readable however many rows it writes. The rows are read through
// chronicle_rows() (migration 20261128040300), which tells the planner that a batch is small, so
// that joins to big tables use their indexes.

import type { Queryable } from './pool';

/**
 * A FROM item for the rows of the JSON array parameter `$<parameter>`, as `r` with `columns`
 * (a column definition list, e.g. `id text, version int`).
 */
export function jsonRows(parameter: number, columns: string, alias = 'r'): string {
  return `public.chronicle_rows($${parameter}::jsonb) AS ${alias}_item(value),
       jsonb_to_record(${alias}_item.value) AS ${alias}(${columns})`;
}

/** One table's share of a batch: its rows, and the statement that writes them. */
export interface RowSet {
  /** Names the part in the statement and its count in the answer. */
  readonly name: string;
  readonly rows: readonly object[];
  /** The data-modifying statement (ending in RETURNING), given the FROM item reading the rows. */
  readonly sql: (rows: (columns: string) => string) => string;
}

/**
 * Writes every set that has rows, each by its own part of one statement (a data-modifying CTE),
 * in one round trip, and answers how many rows each part returned (0 for sets without rows).
 * Parts without rows are left out of the statement altogether: a deposit writes two tables, not
 * the eight a batch may touch. Each combination of parts is prepared once per connection.
 */
export async function writeRowSets(
  db: Queryable,
  statement: string,
  sets: readonly RowSet[],
): Promise<Record<string, number>> {
  const present = sets.filter((set) => set.rows.length > 0);
  const counts: Record<string, number> = Object.fromEntries(sets.map((set) => [set.name, 0]));
  if (present.length === 0) return counts;
  const parts = present.map(
    (set, index) => `${set.name} AS (${set.sql((columns) => jsonRows(index + 1, columns))})`,
  );
  const text = `WITH ${parts.join(',\n')}
    SELECT ${present.map((set) => `(SELECT count(*) FROM ${set.name})::int AS ${set.name}`).join(', ')}`;
  const result = await db.query<Record<string, number>>({
    // Which parts are present, as a bit string: prepared statement names stop at 63 characters.
    name: `chronicle.${statement}.${sets.map((set) => (set.rows.length > 0 ? '1' : '0')).join('')}`,
    text,
    values: present.map((set) => JSON.stringify(set.rows)),
  });
  return { ...counts, ...result.rows[0] };
}
