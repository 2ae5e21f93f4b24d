// Where signed checkpoints are kept outside PostgreSQL, so that someone who controls the database
// cannot rewrite history and its proofs together. A sink appends checkpoints in number order,
// skipping those it already holds, and reads them all back. Two are built in: an append-only
// JSON-lines file (fsynced), and a Redis stream. Another store (object storage with object lock,
// a timestamping service) is one more class with these three methods.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { SignedCheckpoint } from '../../evidence/checkpoint';

export interface CheckpointSink {
  /** Unique per place written to: how its progress is recorded in checkpoint_sinks. */
  readonly name: string;
  /** The last checkpoint the sink holds; null when it holds none. */
  last(): Promise<SignedCheckpoint | null>;
  /** Appends checkpoints, in number order, after those it holds. */
  append(checkpoints: readonly SignedCheckpoint[]): Promise<void>;
  /** Every checkpoint the sink holds, in number order. */
  readAll(): Promise<SignedCheckpoint[]>;
  close(): Promise<void>;
}

/** One signed checkpoint per line, appended and fsynced; never rewritten. */
export class FileCheckpointSink implements CheckpointSink {
  readonly name: string;
  readonly file: string;
  /** The file's size and last checkpoint when this process last read or wrote it. */
  private known: { size: number; last: SignedCheckpoint | null } | undefined;

  constructor(readonly directory: string) {
    this.file = path.join(directory, 'checkpoints.jsonl');
    this.name = `file:${hostname()}:${this.file}`;
  }

  async last(): Promise<SignedCheckpoint | null> {
    const size = await sizeOf(this.file);
    // The whole file is read only when it changed behind this process's back.
    if (this.known?.size !== size) {
      const all = await this.readAll();
      this.known = { size, last: all[all.length - 1] ?? null };
    }
    return this.known.last;
  }

  async append(checkpoints: readonly SignedCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    let lastSigned = await this.last();
    let last = lastSigned?.checkpoint.number ?? 0;
    const lines: string[] = [];
    for (const signed of checkpoints) {
      if (signed.checkpoint.number <= last) continue;
      if (signed.checkpoint.number !== last + 1)
        throw new Error(
          `${this.file} ends at checkpoint ${last}; checkpoint ${signed.checkpoint.number} cannot follow it`,
        );
      lines.push(`${JSON.stringify(signed)}\n`);
      last = signed.checkpoint.number;
      lastSigned = signed;
    }
    if (lines.length === 0) return;
    // Synchronous writes: the lines and the fsync that makes them durable cannot interleave with
    // another append of this process. A line cut short by a crash (or a full disk) mid-write is
    // ended first, so the retried checkpoint starts a line of its own; readAll recognises the cut
    // line by the whole line that follows it, never by overwriting it: the file is append-only.
    const torn = await endsMidLine(this.file);
    const descriptor = openSync(this.file, 'a', 0o600);
    try {
      writeSync(descriptor, (torn ? '\n' : '') + lines.join(''));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    this.known = { size: await sizeOf(this.file), last: lastSigned };
  }

  async readAll(): Promise<SignedCheckpoint[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const lines = text.split('\n');
    // A last line cut short by a crash mid-write is not a checkpoint (yet): the next append
    // writes that checkpoint again on a line of its own.
    if (lines[lines.length - 1] !== '') lines.pop();
    const checkpoints: SignedCheckpoint[] = [];
    lines.forEach((line, index) => {
      if (line === '') return;
      try {
        checkpoints.push(JSON.parse(line) as SignedCheckpoint);
      } catch {
        // Such a cut line, followed by the whole line it was the start of: the write was retried.
        // Anything else that is not a checkpoint is for a person to look at.
        const next = lines[index + 1];
        if (next && next.length > line.length && next.startsWith(line)) return;
        throw new Error(`line ${index + 1} of ${this.file} is not a checkpoint`);
      }
    });
    return checkpoints;
  }

  async close(): Promise<void> {}
}

/** Whether the file's last line lacks its newline: a write cut short. */
async function endsMidLine(file: string): Promise<boolean> {
  const size = await sizeOf(file);
  if (size === 0) return false;
  const handle = await open(file, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** A Redis stream whose entry ids are the checkpoint numbers: Redis refuses a repeated one. */
export class RedisCheckpointSink implements CheckpointSink {
  readonly name = 'redis';
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly key = 'chronicle:checkpoints',
  ) {
    this.client = new Redis(url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      lazyConnect: true,
    });
    this.client.on('error', () => undefined);
  }

  async last(): Promise<SignedCheckpoint | null> {
    const [entry] = (await this.client.xrevrange(this.key, '+', '-', 'COUNT', 1)) as Array<
      [string, string[]]
    >;
    return entry ? (JSON.parse(entry[1][1] as string) as SignedCheckpoint) : null;
  }

  async append(checkpoints: readonly SignedCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    // Redis only refuses an id that is not greater than the last: a gap it would take.
    let last = (await this.last())?.checkpoint.number ?? 0;
    for (const signed of checkpoints) {
      const number = signed.checkpoint.number;
      if (number <= last) continue;
      if (number !== last + 1)
        throw new Error(
          `the Redis stream ${this.key} ends at checkpoint ${last}; checkpoint ${number} cannot follow it`,
        );
      try {
        await this.client.xadd(this.key, `${number}-1`, 'checkpoint', JSON.stringify(signed));
      } catch (error) {
        // Written meanwhile by another instance: the id is not greater than the stream's last.
        if (!/equal or smaller/i.test((error as Error).message)) throw error;
      }
      last = number;
    }
  }

  async readAll(): Promise<SignedCheckpoint[]> {
    const entries = (await this.client.xrange(this.key, '-', '+')) as Array<[string, string[]]>;
    return entries.map(([, fields]) => JSON.parse(fields[1] as string) as SignedCheckpoint);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
