// A search of the queue walks SQLite's full-text index by position and picks
// a page of letters from its window; the page is then read by those
// positions, with the tab's filter only re-checked. SQLite plans without
// statistics, and with the status in the condition it walked every letter
// of the tab (letters_status_id) to find the fifty: 46 ms at 400,000 letters
// against 1.2 ms by position. PostgreSQL has no positions to walk (its
// search checks each row of the window), so this read is SQLite's alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { searchPageByPositions } from '../../src/db/repositories/letters.ts';
import { onMigratedDatabase, queryPlan } from '../support/plans.ts';

test("a search's page is read by the positions picked, the tab's filter only re-checked", () =>
  onMigratedDatabase('sqlite', async (plain) => {
    await sql`pragma foreign_keys = off`.execute(plain.k);
    // 20,000 letters, nine in ten new; rowid i is letter L…i.
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000)
      insert into letters (rowid, id, writer_id, status, source, name, body, original, word_count, consent, exclusive, spam_reasons, flags, pow, meta, created_at, updated_at)
      select i, printf('L%08d', i), 'w', case when i % 10 = 0 then 'published' else 'new' end, 'form', 'N', 'body ' || i, 'body ' || i, 2, 1, 0, '[]', '[]', 'p', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' from n`.execute(plain.k);
    const db = { dialect: plain.dialect } as Parameters<typeof searchPageByPositions>[0];
    const picked = Array.from({ length: 50 }, (_, k) => 20_000 - k * 7);
    for (const f of [{ status: ['new'] }, { status: ['new', 'published'], before: 'L00019990' }]) {
      const page = searchPageByPositions(db, plain.k, { ...f, limit: 50 }, picked);
      const plan = await queryPlan(plain, page.compile());
      assert.doesNotMatch(plan, /letters_status_id|letters_published|sqlite_autoindex_letters_1/, `the page is not found through the filter's index:\n${plan}`);
      assert.match(plan, /rowid=\?/, `it is read by position:\n${plan}`);
      const ids = (await page.execute()).map((r) => r.id);
      const expected = picked
        .filter((p) => (f.status.length === 2 || p % 10 !== 0) && (!f.before || `L${String(p).padStart(8, '0')}` < f.before))
        .map((p) => `L${String(p).padStart(8, '0')}`);
      assert.deepEqual(ids, expected, 'the picked letters the filter keeps, newest first');
    }
  }));
