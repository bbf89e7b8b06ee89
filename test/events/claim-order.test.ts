// The dispatcher's claim reads due events in the order of the queue's index
// (migration 0960): with thousands waiting, a claim that sorted them all cost
// each round of 25 what it cost to read the whole queue. Checked in each
// database's plan for the claim, with 9,000 due events and fresh statistics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { dueEventsClaim } from '../../src/db/repositories/events.ts';
import { forEachDialect } from '../support/databases.ts';
import { onMigratedDatabase, queryPlan, sortStep } from '../support/plans.ts';

forEachDialect('the claim of due events', (dialect) => {
  test('reads them in order from the index, without sorting every due event', () =>
    onMigratedDatabase(dialect, async (plain) => {
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
      const plan = await queryPlan(plain, dueEventsClaim(db, plain.k, new Date(), 25).compile());
      assert.match(plan, /event_queue_due/, `the claim reads the queue's index:\n${plan}`);
      assert.doesNotMatch(plan, sortStep(plain), `and sorts nothing:\n${plan}`);
      // And takes the longest due first.
      const taken = (await dueEventsClaim(db, plain.k, new Date(), 3).execute()).map((r) => r.event_id);
      assert.deepEqual(taken, ['000000000001', '000000000002', '000000000003'], 'failed events are not taken');
    }));
});
