// Idempotency keys: a retried submission gets the first answer back.
import type { Db } from '../connect.ts';
import type { Executor } from '../executor.ts';

export type StoredAnswer = { requestHash: string; letterId: string | null; response: unknown };

export async function findIdempotencyKey(db: Db, key: string, ex: Executor = db.k): Promise<StoredAnswer | null> {
  const row = await ex.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? { requestHash: row.request_hash, letterId: row.letter_id, response: db.map.readJson(row.response, null) } : null;
}

export async function saveIdempotencyKey(db: Db, ex: Executor, key: string, a: StoredAnswer): Promise<void> {
  await ex
    .insertInto('idempotency_keys')
    .values({ key, request_hash: a.requestHash, letter_id: a.letterId, response: db.map.json(a.response), created_at: db.map.time(new Date()) })
    .execute();
}

/** Keys older than the retention window are forgotten. */
export async function pruneIdempotencyKeys(db: Db, olderThan: Date): Promise<number> {
  const r = await db.k.deleteFrom('idempotency_keys').where('created_at', '<', db.map.time(olderThan)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
