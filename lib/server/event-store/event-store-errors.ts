import { AppError } from '../../errors';

/** Another writer changed the stream since the caller read it. Safe to reload and retry. */
export class ConcurrencyError extends AppError {
  static override readonly brand: string = 'ConcurrencyError';
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly actualVersion: number | undefined;

  constructor(streamId: string, expectedVersion: number, actualVersion?: number) {
    super(
      'concurrency_conflict',
      actualVersion === undefined
        ? `Stream ${streamId} moved past version ${expectedVersion} while this change was being written.`
        : `Stream ${streamId} is at version ${actualVersion}, not the expected ${expectedVersion}.`,
    );
    this.name = 'ConcurrencyError';
    this.streamId = streamId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** An append that would break the log's own invariants (time running backwards in a stream). */
export class EventStoreInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreInvariantError';
  }
}
