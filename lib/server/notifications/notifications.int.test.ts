import { afterAll, describe, expect, it } from 'vitest';
import { context, openTestAccount } from '../../../test/support';
import { depositFunds } from '../commands/deposit-funds';
import { getPool } from '../db/pool';
import { followGlobalLog } from '../event-store/follow-global-log';
import { readGlobalLog } from '../event-store/read-global-log';
import { DatabaseListener } from '../db/database-listener';
import {
  InProcessNotifier,
  PostgresNotifier,
  POSTGRES_WAKE_UP_CHANNEL,
  RedisNotifier,
  type Notifier,
} from './notifier';

const redisUrl = process.env.REDIS_URL;
/** A publisher and a subscriber as two parts of the application would hold them. */
type Transport = () => [publisher: Notifier, subscriber: Notifier];
const transports: Array<[string, Transport]> = [
  [
    'in-process',
    () => {
      // Inside one process every part of the application shares one notifier.
      const shared = open(() => new InProcessNotifier());
      return [shared, shared];
    },
  ],
  [
    'postgres',
    () => {
      // Two worker processes: each with its own listening connection.
      const make = () => {
        const listener = new DatabaseListener(process.env.DATABASE_URL as string);
        listeners.push(listener);
        return new PostgresNotifier(listener, (position) =>
          getPool().query(`SELECT pg_notify('${POSTGRES_WAKE_UP_CHANNEL}', $1)`, [position]),
        );
      };
      return [open(make), open(make)];
    },
  ],
];
const listeners: DatabaseListener[] = [];
// CI sets REDIS_URL; there the wake-ups also travel through a real Redis server, between two
// separate connections as two app instances would have.
if (redisUrl)
  transports.push([
    'redis',
    () => [open(() => new RedisNotifier(redisUrl)), open(() => new RedisNotifier(redisUrl))],
  ]);

const opened: Notifier[] = [];
afterAll(async () => {
  await Promise.all(opened.map((notifier) => notifier.close()));
  await Promise.all(listeners.map((listener) => listener.close()));
});

/** Reads every page a follower yields into `seen`, until the follower stops. */
async function collect(
  pages: AsyncIterable<{ events: Array<{ eventId: string }> }>,
  seen: string[],
) {
  for await (const page of pages) seen.push(...page.events.map((event) => event.eventId));
}

function open(factory: () => Notifier): Notifier {
  const notifier = factory();
  opened.push(notifier);
  return notifier;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

describe.each(transports)('wake-ups over %s', (_name, transport) => {
  it('reach a subscriber', async () => {
    const [publisher, subscriber] = transport();
    const received: bigint[] = [];
    subscriber.subscribe((position) => received.push(position));
    if (subscriber instanceof RedisNotifier || subscriber instanceof PostgresNotifier)
      await subscriber.ready();
    await publisher.publish(42n);
    await waitFor(() => received.includes(42n), 2_000);
    expect(received).toContain(42n);
  });

  it('wake a follower promptly, long before its poll interval', async () => {
    const [publisher, notifier] = transport();
    notifier.subscribe(() => undefined);
    if (notifier instanceof RedisNotifier || notifier instanceof PostgresNotifier)
      await notifier.ready();
    const accountId = await openTestAccount();
    const { checkpoint } = await readGlobalLog(getPool(), { limit: 10_000 });
    const seen: string[] = [];
    const stop = new AbortController();
    const following = collect(
      followGlobalLog({
        db: getPool(),
        notifier,
        after: checkpoint,
        pollIntervalMs: 60_000,
        signal: stop.signal,
      }),
      seen,
    );
    const result = await depositFunds({
      accountId,
      input: { amount: '1.00' },
      context: context({ notifier: publisher }),
    });
    await waitFor(() => seen.includes(result.events[0]?.eventId as string), 5_000);
    stop.abort();
    await following;
  });
});

describe('a lost notification', () => {
  it('loses no event: the follower catches up on its next poll', async () => {
    const followerNotifier = open(() => new InProcessNotifier());
    // The writer publishes to a notifier nobody listens to: every wake-up is lost.
    const lostNotifier = open(() => new InProcessNotifier());
    const accountId = await openTestAccount();
    const { checkpoint } = await readGlobalLog(getPool(), { limit: 10_000 });
    const seen: string[] = [];
    const stop = new AbortController();
    const following = collect(
      followGlobalLog({
        db: getPool(),
        notifier: followerNotifier,
        after: checkpoint,
        pollIntervalMs: 100,
        signal: stop.signal,
      }),
      seen,
    );
    const written: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const result = await depositFunds({
        accountId,
        input: { amount: '1.00' },
        context: context({ notifier: lostNotifier }),
      });
      written.push(result.events[0]?.eventId as string);
    }
    await waitFor(() => written.every((id) => seen.includes(id)), 5_000);
    stop.abort();
    await following;
    expect(seen.filter((id) => written.includes(id))).toEqual(written);
  });
});
