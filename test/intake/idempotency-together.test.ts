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

forEachDialect('idempotency lookups, one stuck', (dialect) => {
  const t = suiteContext(dialect);

  // PostgreSQL reads on a pool; SQLite on one connection, which a stuck statement holds whatever is gathered.
  if (dialect === 'postgres') {
    test('a lookup whose statement hangs does not hold other writers\' lookups', async () => {
      const db = t.ctx.db;
      await db.writes.run((trx) => saveIdempotencyKey(db, trx, 'api:retried-key-b', { requestHash: 'h', letterId: null, response: { id: 'x', status: 'new' } }));
      // The first statement's connection hangs for 5 s; the others answer as usual.
      let statements = 0;
      const hangFirst: KyselyPlugin = {
        transformQuery: (a) => a.node,
        transformResult: async (a) => {
          if (statements++ === 0) await new Promise((r) => setTimeout(r, 5000));
          return a.result;
        },
      };
      const stuck: Db = { ...db, read: (db.read as Kysely<Database>).withPlugin(hangFirst) };
      const a = findIdempotencyKey(stuck, 'api:fresh-key-a');
      await new Promise((r) => setTimeout(r, 10));
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
    let statements = 0;
    const cutSecond: KyselyPlugin = {
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        const n = ++statements;
        if (n === 1) await new Promise((r) => setTimeout(r, 50));
        if (n === 2) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
        return a.result;
      },
    };
    const cut: Db = { ...db, read: (db.read as Kysely<Database>).withPlugin(cutSecond) };
    const first = findIdempotencyKey(cut, 'api:some-key-c');
    await new Promise((r) => setTimeout(r, 10));
    // Two writers ask while the first statement is under way; the next statement's connection is cut.
    const [c, d] = await Promise.allSettled([findIdempotencyKey(cut, 'api:unlucky-key-c2'), findIdempotencyKey(cut, 'api:retried-key-d')]);
    await first;
    assert.equal(c.status, 'rejected');
    assert.equal(d.status, 'fulfilled', `another writer's lookup failed with the cut connection: ${d.status === 'rejected' ? (d.reason as Error).message : ''}`);
  });
});
