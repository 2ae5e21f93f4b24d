// The full verification: recomputes every stream's hash chain from the stored rows, stream by
// stream, and cross-checks every stream's head against its projection. Minutes at millions of
// events, so the app only runs it in the verifier's worker thread (run-full-verification.ts);
// tests, the benchmark and the verifier use it directly.

import type { Queryable } from '../db/pool';
import { checkProjectionHeads } from './check-stream-heads';
import {
  MAX_REPORTED_PROBLEMS,
  STORED_LINK_COLUMNS,
  checkLink,
  firstProblem,
  mergeProblems,
  type IntegrityProblem,
  type StoredLink,
} from './integrity-problem';

export interface IntegrityReport {
  readonly ok: boolean;
  readonly checkedEvents: number;
  /** Every problem found (at most MAX_REPORTED_PROBLEMS), in stream order. */
  readonly problems: readonly IntegrityProblem[];
  /** The broken link with the lowest global position, when there is one. */
  readonly firstBroken?: IntegrityProblem;
}

const PAGE_SIZE = 5_000;

export async function verifyIntegrity(
  db: Queryable,
  options: { streamId?: string; onProgress?: (checkedEvents: number) => Promise<void> } = {},
): Promise<IntegrityReport> {
  let checkedEvents = 0;
  let problems: IntegrityProblem[] = [];
  let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
  let previous: { streamId: string; version: number; hash: string } | undefined;
  let brokenStream: string | undefined;

  for (;;) {
    const page = await db.query<StoredLink>(
      `SELECT ${STORED_LINK_COLUMNS} FROM events
        WHERE (stream_id, stream_version) > ($1, $2) AND ($3::text IS NULL OR stream_id = $3)
        ORDER BY events.stream_id, events.stream_version
        LIMIT $4`,
      [cursor.streamId, cursor.version, options.streamId ?? null, PAGE_SIZE],
    );
    for (const link of page.rows) {
      checkedEvents += 1;
      if (previous?.streamId !== link.streamId) previous = undefined;
      // After the first break in a stream, later links are reported through that one.
      if (brokenStream !== link.streamId) {
        const problem = checkLink(link, previous);
        if (problem) {
          brokenStream = link.streamId;
          if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(problem);
        }
      }
      previous = { streamId: link.streamId, version: link.streamVersion, hash: link.hash };
    }
    await options.onProgress?.(checkedEvents);
    const last = page.rows[page.rows.length - 1];
    if (!last || page.rows.length < PAGE_SIZE) break;
    cursor = { streamId: last.streamId, version: last.streamVersion };
  }
  problems = mergeProblems(problems, await checkProjectionHeads(db, options));
  const firstBroken = firstProblem(problems);
  return {
    ok: problems.length === 0,
    checkedEvents,
    problems,
    ...(firstBroken ? { firstBroken } : {}),
  };
}
