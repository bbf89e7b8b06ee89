// The dispatcher's claim reads due events in the order of the queue's index
// (migration 0960): with thousands waiting, a claim that sorted them all cost
// each round of 25 what it cost to read the whole queue. Checked in each
// database's plan for the claim, with 9,000 due events and fresh statistics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openPlain } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { dueEventsClaim } from '../../src/db/repositories/events.ts';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';

forEachDialect('the claim of due events', (dialect) => {
  test('reads them in order from the index, without sorting every due event', async () => {
    const tdb = await createTestDatabase(dialect);
    const plain = openPlain({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
    try {
      await migrateToLatest(plain.k, plain.dialect);
      const d = plain.dialect;
      const start = Date.now() - 60_000;
      for (let chunk = 0; chunk < 9000; chunk += 500) {
        const ids = Array.from({ length: 500 }, (_, i) => String(chunk + i).padStart(12, '0'));
        const at = (i: number) => d.time(new Date(start + chunk + i));
        await plain.k.insertInto('letter_events').values(ids.map((id, i) => ({ id, letter_id: null, actor: 'test', action: 'received', data: d.json({}), created_at: at(i) }))).execute();
        await plain.k.insertInto('event_queue').values(ids.map((id, i) => ({ event_id: id, run_at: at(i), attempts: 0, done: '[]', last_error: null, failed_at: i % 50 === 0 ? at(i) : null }))).execute();
      }
      await sql`analyze`.execute(plain.k);
      const db = { dialect: d } as Parameters<typeof dueEventsClaim>[0];
      const q = dueEventsClaim(db, plain.k, new Date(), 25).compile();
      const explain = dialect === 'postgres' ? 'explain' : 'explain query plan';
      const rows = (await plain.k.executeQuery<Record<string, unknown>>({ ...q, sql: `${explain} ${q.sql}` })).rows;
      const plan = rows.map((r) => String(r['QUERY PLAN'] ?? r.detail)).join('\n');
      assert.match(plan, /event_queue_due/, `the claim reads the queue's index:\n${plan}`);
      assert.doesNotMatch(plan, dialect === 'postgres' ? /Sort/ : /TEMP B-TREE/, `and sorts nothing:\n${plan}`);
      // And takes the longest due first.
      const taken = (await dueEventsClaim(db, plain.k, new Date(), 3).execute()).map((r) => r.event_id);
      assert.deepEqual(taken, ['000000000001', '000000000002', '000000000003'], 'failed events are not taken');
    } finally {
      await plain.close();
      await tdb.drop();
    }
  });
});
