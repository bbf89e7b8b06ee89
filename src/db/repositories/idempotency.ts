// Idempotency keys: a retried submission gets the first answer back. They are
// kept as long as their letter: intake finds an earlier letter by its key alone.
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Reader, Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';

const byKey = compiledQuery((k, key: string) => k.selectFrom('idempotency_keys').selectAll().where('key', '=', key), 1);

export type StoredAnswer = { requestHash: string; letterId: string | null; response: unknown };

export async function findIdempotencyKey(db: Db, key: string, ex: Reader = db.read): Promise<StoredAnswer | null> {
  const [row] = await byKey(db, ex, key);
  return row ? { requestHash: row.request_hash, letterId: row.letter_id, response: db.dialect.readJson(row.response, null) } : null;
}

export async function saveIdempotencyKey(db: Db, ex: Trx, key: string, a: StoredAnswer): Promise<void> {
  await insertRows(db, ex, 'idempotency_keys', [{ key, request_hash: a.requestHash, letter_id: a.letterId, response: db.dialect.json(a.response), created_at: db.dialect.time(new Date()) }]);
}
