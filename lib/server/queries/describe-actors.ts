import { getPool, type Queryable } from '../db/pool';

/**
 * Names for the actors recorded in event metadata (`user:<id>`, `api_key:<id>`, `system:<job>`),
 * so timelines say who acted in words. Unknown actors keep their raw form.
 */
export async function describeActors(options: {
  actors: Iterable<string>;
  db?: Queryable;
}): Promise<Map<string, string>> {
  const db = options.db ?? getPool();
  const actors = [...new Set(options.actors)];
  const labels = new Map<string, string>();
  const userIds = actors
    .filter((actor) => /^user:[0-9a-f-]{36}$/i.test(actor))
    .map((actor) => actor.slice('user:'.length));
  if (userIds.length) {
    const users = await db.query<{ id: string; name: string; email: string }>(
      'SELECT id::text AS id, name, email FROM users WHERE id = ANY($1::uuid[])',
      [userIds],
    );
    for (const user of users.rows) labels.set(`user:${user.id}`, `${user.name} (${user.email})`);
  }
  const keyIds = actors
    .filter((actor) => actor.startsWith('api_key:'))
    .map((actor) => actor.slice('api_key:'.length));
  if (keyIds.length) {
    const keys = await db.query<{ id: string; name: string }>(
      'SELECT id::text AS id, name FROM api_keys WHERE id::text = ANY($1::text[])',
      [keyIds],
    );
    for (const key of keys.rows) labels.set(`api_key:${key.id}`, `API key “${key.name}”`);
  }
  for (const actor of actors) {
    if (labels.has(actor)) continue;
    if (actor.startsWith('system:')) labels.set(actor, `System (${actor.slice('system:'.length)})`);
    // Imported history names people from the old ledger, who have no user here.
    else if (actor.startsWith('user:')) labels.set(actor, actor.slice('user:'.length));
  }
  return labels;
}

/** The people an event names: who caused it and, for a command run on approval, who approved it. */
export function actorsOf(metadata: { actor: string; approvedBy?: string }): string[] {
  return metadata.approvedBy ? [metadata.actor, metadata.approvedBy] : [metadata.actor];
}
