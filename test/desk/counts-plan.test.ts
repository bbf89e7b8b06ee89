// The newest campaigns with letters in a tab are found by walking the
// counters' index by status and key (migration 0980) from the newest key,
// not by grouping every campaign's counters: with 20,000 campaigns that once
// had letters in other statuses, the plan reads that index and sorts nothing.
// Checked in each database's plan, with fresh statistics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { countedKeys } from '../../src/db/repositories/letter-counts.ts';
import { forEachDialect } from '../support/databases.ts';
import { onMigratedDatabase, queryPlan, sortStep } from '../support/plans.ts';

forEachDialect("the queue's newest campaigns in a tab", (dialect) => {
  test("walk the counters' index by status from the newest, without sorting", () =>
    onMigratedDatabase(dialect, async (plain) => {
      for (let chunk = 0; chunk < 20_000; chunk += 500) {
        const rows = Array.from({ length: 500 }, (_, i) => {
          const key = `c${String(chunk + i).padStart(6, '0')}`;
          return [
            { slot: 0, dimension: 'campaign', key, status: 'declined', n: 3 },
            ...(chunk + i >= 19_950 ? [{ slot: 0, dimension: 'campaign', key, status: 'new', n: 2 }] : []),
          ];
        }).flat();
        await plain.k.insertInto('letter_counts').values(rows).execute();
      }
      await sql`analyze`.execute(plain.k);
      const db = { dialect: plain.dialect, read: plain.k } as unknown as Parameters<typeof countedKeys>[0];
      const newest = countedKeys(db, 'campaign', ['new']).orderBy('key', 'desc').limit(100);
      const plan = await queryPlan(plain, newest.compile());
      assert.match(plan, /letter_counts_by_status/, `the walk reads the index by status:\n${plan}`);
      assert.doesNotMatch(plan, sortStep(plain), `and sorts nothing:\n${plan}`);
      const found = (await newest.execute()).map((r) => r.key);
      assert.deepEqual([found.length, found[0], found.at(-1)], [50, 'c019999', 'c019950'], 'the campaigns with new letters, newest first');
    }));
});
