// One batcher for all the workers of a server. Group commit pays off when many commands share a
// transaction; with one batcher per worker, each would get a share of the commands, and two
// workers' batches would queue behind each other's row locks (measured: transfers over HTTP fell
// to a quarter of one worker's rate). So when scripts/serve.ts runs several workers, each worker
// hands the commands it has checked (authenticated, validated, past the approval gate) to the
// supervising process over the cluster's IPC channel; the supervisor runs them through the one
// batcher (command-batcher.ts → run-batch.ts) and answers with the result or the typed error.
// Nothing else changes: the same pipeline, the same transactions, the same answers.
//
// The channel uses the cluster's "advanced" serialization (structured clone: bigint, Date and Map
// travel as they are); errors are rebuilt on the worker's side as the AppError (or
// ConcurrencyError) they were, so the edges map them exactly as before.

import cluster from 'node:cluster';
import { AppError, type ErrorCode, type FieldErrors } from '../../errors';
import { ConcurrencyError } from '../event-store/event-store-errors';
import { getPool, type Pool } from '../db/pool';
import { logUnexpectedError } from '../log';
import type { CommandJob } from './command-job';
import type { CommandResult } from './command-result';

/** Set by scripts/serve.ts in every worker of a server that shares one batcher. */
export const SHARED_BATCHER_ENV = 'CHRONICLE_SHARED_BATCHER';

export interface Batcher {
  submit(job: CommandJob): Promise<CommandResult>;
}

type TravellingJob = Pick<CommandJob, 'command' | 'claim' | 'correlationId'> & {
  context: Omit<CommandJob['context'], 'db' | 'notifier'>;
};

type EncodedError =
  | { kind: 'concurrency'; streamId: string; expectedVersion: number; actualVersion?: number }
  | { kind: 'app'; code: ErrorCode; message: string; fieldErrors?: FieldErrors }
  | { kind: 'other'; message: string };

interface CommandMessage {
  readonly chronicle: 'command';
  readonly id: number;
  readonly job: TravellingJob;
}

interface AnswerMessage {
  readonly chronicle: 'answer';
  readonly id: number;
  readonly result?: CommandResult;
  readonly error?: EncodedError;
}

function isMessage<T extends { chronicle: string }>(
  value: unknown,
  kind: T['chronicle'],
): value is T {
  return typeof value === 'object' && value !== null && (value as T).chronicle === kind;
}

export function encodeError(error: unknown): EncodedError {
  if (error instanceof ConcurrencyError)
    return {
      kind: 'concurrency',
      streamId: error.streamId,
      expectedVersion: error.expectedVersion,
      ...(error.actualVersion === undefined ? {} : { actualVersion: error.actualVersion }),
    };
  if (error instanceof AppError)
    return {
      kind: 'app',
      code: error.code,
      message: error.message,
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

export function decodeError(encoded: EncodedError): Error {
  switch (encoded.kind) {
    case 'concurrency':
      return new ConcurrencyError(encoded.streamId, encoded.expectedVersion, encoded.actualVersion);
    case 'app':
      return new AppError(encoded.code, encoded.message, {
        ...(encoded.fieldErrors ? { fieldErrors: encoded.fieldErrors } : {}),
      });
    default:
      return new Error(`the command broker failed: ${encoded.message}`);
  }
}

/** Whether `job` can run in the supervisor: plain data, on the process-wide database. */
function canTravel(job: CommandJob, db: Pool): boolean {
  return (
    db === getPool() &&
    job.alongside === undefined &&
    job.occurredAt === undefined &&
    job.eventIds === undefined &&
    job.context.notifier === undefined
  );
}

/** The worker's side: sends jobs to the supervisor, resolves with its answers. */
class RemoteBatcher implements Batcher {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (result: CommandResult) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly local: Batcher) {
    process.on('message', (message: unknown) => {
      if (!isMessage<AnswerMessage>(message, 'answer')) return;
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.error) waiter.reject(decodeError(message.error));
      else waiter.resolve(message.result as CommandResult);
    });
  }

  submit(job: CommandJob): Promise<CommandResult> {
    if (!canTravel(job, job.context.db ?? getPool()) || !process.connected)
      return this.local.submit(job);
    const id = this.nextId++;
    const { db: _db, notifier: _notifier, ...context } = job.context;
    const message: CommandMessage = {
      chronicle: 'command',
      id,
      job: { command: job.command, claim: job.claim, correlationId: job.correlationId, context },
    };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      process.send?.(message, undefined, undefined, (error: Error | null) => {
        if (!error) return;
        this.waiting.delete(id);
        reject(error);
      });
    });
  }
}

const globalForShared = globalThis as unknown as { chronicleRemoteBatcher?: RemoteBatcher };

/**
 * In a worker of a server that shares one batcher, the batcher that forwards to the supervisor
 * (falling back to `local` for jobs that cannot travel); otherwise `local` itself.
 */
export function sharedBatcherOr(local: Batcher): Batcher {
  if (!cluster.isWorker || process.env[SHARED_BATCHER_ENV] !== 'on') return local;
  globalForShared.chronicleRemoteBatcher ??= new RemoteBatcher(local);
  return globalForShared.chronicleRemoteBatcher;
}

/**
 * The supervisor's side: runs every worker's jobs through `batcher` (the process's one batcher on
 * its pool) and answers the worker that sent each.
 */
export function serveWorkerCommands(batcher: Batcher): void {
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<CommandMessage>(message, 'command')) return;
    const { job, id } = message;
    batcher
      .submit({ ...job, context: { ...job.context } })
      .then(
        (result): AnswerMessage => ({ chronicle: 'answer', id, result }),
        (error: unknown): AnswerMessage => {
          if (!(error instanceof AppError))
            logUnexpectedError('a command failed in the shared batcher', error, {
              type: job.command.type,
            });
          return { chronicle: 'answer', id, error: encodeError(error) };
        },
      )
      .then((answer) => {
        if (worker.isConnected()) worker.send(answer);
      });
  });
}
