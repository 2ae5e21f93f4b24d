// Batches of projection rows go to PostgreSQL as one JSON array parameter with named columns: a
// statement stays readable however many rows it writes. `jsonRows` reads them through
// chronicle_rows() (migration 20261128040300), which tells the planner that a batch is small, so
// that joins to big tables use their indexes.

/**
 * A FROM item for the rows of the JSON array parameter `$<parameter>`, as `r` with `columns`
 * (a column definition list, e.g. `id text, version int`).
 */
export function jsonRows(parameter: number, columns: string, alias = 'r'): string {
  return `public.chronicle_rows($${parameter}::jsonb) AS ${alias}_item(value),
       jsonb_to_record(${alias}_item.value) AS ${alias}(${columns})`;
}
