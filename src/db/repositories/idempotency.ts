// Idempotency keys: a retried submission gets the first answer back. They are
// kept as long as their letter: intake finds an earlier letter by its key alone.
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';
import { gathered } from '../../util/gathered.ts';

const byKey = compiledQuery((k, key: string) => k.selectFrom('idempotency_keys').selectAll().where('key', '=', key), 1);

export type StoredAnswer = { requestHash: string; letterId: string | null; response: unknown };

/**
 * The answer stored for a key. Every letter by the API or the form with a
 * key asks first, so the asks that arrive while one is under way go
 * together, one statement for them all (util/gathered.ts): on PostgreSQL a
 * read each was a round trip per letter. (Finding a retry by its key failing
 * to store instead was tried: a retry then made its whole batch run again.)
 */
export async function findIdempotencyKey(db: Db, key: string): Promise<StoredAnswer | null> {
  let find = finders.get(db);
  if (!find) {
    find = gathered(async (calls) => {
      const keys = calls.map((c) => c.key);
      const rows = keys.length === 1 ? await byKey(db, db.read, keys[0]!) : await db.read.selectFrom('idempotency_keys').selectAll().where('key', 'in', keys).execute();
      return new Map(rows.map((row) => [row.key, { requestHash: row.request_hash, letterId: row.letter_id, response: db.dialect.readJson(row.response, null) }]));
    }, { shared: true });
    finders.set(db, find);
  }
  return (await find(key, null)) ?? null;
}

const finders = new WeakMap<Db, (key: string, arg: null) => Promise<StoredAnswer | undefined>>();

export async function saveIdempotencyKey(db: Db, ex: Trx, key: string, a: StoredAnswer): Promise<void> {
  await insertRows(db, ex, 'idempotency_keys', [{ key, request_hash: a.requestHash, letter_id: a.letterId, response: db.dialect.json(a.response), created_at: db.dialect.time(new Date()) }]);
}
