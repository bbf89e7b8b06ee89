// Intake's Idempotency-Key lookups asked together (util/gathered.ts), on
// both databases: a statement that does not come back (a connection cut
// without a reset) holds only its own batch, and one whose connection is cut
// fails its own letters only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { findIdempotencyKey, saveIdempotencyKey } from '../../src/db/repositories/idempotency.ts';
import type { Db } from '../../src/db/connect.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The database whose reads pass each statement's number (1, 2…) to `before` before their rows come back: to delay or cut one. */
function withStatements(db: Db, before: (n: number) => Promise<void>): Db {
  let statements = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (a) => a.node,
    transformResult: async (a) => {
      await before(++statements);
      return a.result;
    },
  };
  return { ...db, read: (db.read as Kysely<Database>).withPlugin(plugin) };
}

forEachDialect('idempotency lookups, one stuck', (dialect) => {
  const t = suiteContext(dialect);

  // PostgreSQL reads on a pool; SQLite on one connection, which a stuck statement holds whatever is gathered.
  if (dialect === 'postgres') {
    test('a lookup whose statement hangs does not hold other writers\' lookups', async () => {
      const db = t.ctx.db;
      await db.writes.run((trx) => saveIdempotencyKey(db, trx, 'api:retried-key-b', { requestHash: 'h', letterId: null, response: { id: 'x', status: 'new' } }));
      // The first statement's connection hangs for 5 s; the others answer as usual.
      const stuck = withStatements(db, async (n) => {
        if (n === 1) await sleep(5000);
      });
      const a = findIdempotencyKey(stuck, 'api:fresh-key-a');
      await sleep(10);
      const started = performance.now();
      const b = await findIdempotencyKey(stuck, 'api:retried-key-b');
      const ms = Math.round(performance.now() - started);
      assert.equal(b?.requestHash, 'h');
      assert.ok(ms < 1000, `the retry's lookup took ${ms} ms: it waited for another letter's stuck statement`);
      await a;
    });
  }

  test('a lookup whose connection is cut fails that letter only, not the others asked meanwhile', async () => {
    const db = t.ctx.db;
    await db.writes.run((trx) => saveIdempotencyKey(db, trx, 'api:retried-key-d', { requestHash: 'h', letterId: null, response: { id: 'y', status: 'new' } }));
    // The second statement's connection is reset (a failover, pg_terminate_backend).
    const cut = withStatements(db, async (n) => {
      if (n === 1) await sleep(50);
      if (n === 2) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    });
    const first = findIdempotencyKey(cut, 'api:some-key-c');
    await sleep(10);
    // Two writers ask while the first statement is under way; the next statement's connection is cut.
    const [c, d] = await Promise.allSettled([findIdempotencyKey(cut, 'api:unlucky-key-c2'), findIdempotencyKey(cut, 'api:retried-key-d')]);
    await first;
    assert.equal(c.status, 'rejected');
    assert.equal(d.status, 'fulfilled', `another writer's lookup failed with the cut connection: ${d.status === 'rejected' ? (d.reason as Error).message : ''}`);
  });
});
