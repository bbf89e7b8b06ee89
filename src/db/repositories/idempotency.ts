// Idempotency keys: a retried submission gets the first answer back. They are
// kept as long as their letter: intake finds an earlier letter by its key alone.
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';
import { gathered } from '../../util/gathered.ts';
import { perDatabase } from '../per-database.ts';

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
  const found = await findersOf(db)(key, null);
  if (found instanceof Error) throw found;
  return found ?? null;
}

const findersOf = perDatabase((db) => {
  const answer = (row: Awaited<ReturnType<typeof byKey>>[number]): StoredAnswer => ({ requestHash: row.request_hash, letterId: row.letter_id, response: db.dialect.readJson(row.response, null) });
  const alone = async (key: string) => (await byKey(db, db.read, key)).map((row) => [row.key, answer(row)] as const);
  return gathered<string, null, StoredAnswer | Error>(
    async (calls) => {
      const keys = calls.map((c) => c.key);
      if (keys.length === 1) return new Map(await alone(keys[0]!));
      try {
        return new Map((await db.read.selectFrom('idempotency_keys').selectAll().where('key', 'in', keys).execute()).map((row) => [row.key, answer(row)]));
      } catch {
        // Each asks alone, and fails alone: one statement's trouble (a connection cut) is not every writer's.
        const each = await Promise.allSettled(keys.map(alone));
        const found = new Map<string, StoredAnswer | Error>();
        each.forEach((r, i) => {
          if (r.status === 'fulfilled') for (const [k, v] of r.value) found.set(k, v);
          else found.set(keys[i]!, r.reason instanceof Error ? r.reason : new Error(String(r.reason)));
        });
        return found;
      }
    },
    // A few at once: a statement that hangs holds its own batch, not every letter's.
    { shared: true, atOnce: 4 },
  );
});

export async function saveIdempotencyKey(db: Db, ex: Trx, key: string, a: StoredAnswer): Promise<void> {
  await insertRows(db, ex, 'idempotency_keys', [{ key, request_hash: a.requestHash, letter_id: a.letterId, response: db.dialect.json(a.response), created_at: db.dialect.time(new Date()) }]);
}
