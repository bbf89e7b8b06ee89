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
import { searchPageByPositions, type LetterFilter } from '../../src/db/repositories/letters.ts';
import { onMigratedDatabase, queryPlan } from '../support/plans.ts';

test("a search's page is read by the positions picked, the tab's filter only re-checked", () =>
  onMigratedDatabase('sqlite', async (plain) => {
    await sql`pragma foreign_keys = off`.execute(plain.k);
    // 20,000 letters, nine in ten new; rowid i is letter L…i. Three writers, five articles (none for one letter in seven), one campaign.
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000)
      insert into letters (rowid, id, article_id, writer_id, campaign_id, status, source, name, body, original, word_count, consent, exclusive, spam_reasons, flags, pow, meta, created_at, updated_at)
      select i, printf('L%08d', i), case when i % 7 = 0 then null else 'a' || (i % 5) end, 'w' || (i % 3), case when i % 11 = 0 then 'c1' end,
        case when i % 10 = 0 then 'published' else 'new' end, 'form', 'N', 'body ' || i, 'body ' || i, 2, 1, 0, '[]', '[]', 'p', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' from n`.execute(plain.k);
    const db = { dialect: plain.dialect } as Parameters<typeof searchPageByPositions>[0];
    const picked = Array.from({ length: 60 }, (_, k) => 20_000 - k * 7);
    const id = (i: number) => `L${String(i).padStart(8, '0')}`;
    type Case = Omit<LetterFilter, 'limit'> & { keeps: (i: number) => boolean };
    const cases: Case[] = [
      { status: ['new'], keeps: (i) => i % 10 !== 0 },
      { status: ['new', 'published'], before: id(19_990), keeps: (i) => id(i) < id(19_990) },
      { status: ['new'], articleId: 'a2', keeps: (i) => i % 10 !== 0 && i % 7 !== 0 && i % 5 === 2 },
      { unmatched: true, keeps: (i) => i % 7 === 0 },
      { campaignId: 'c1', keeps: (i) => i % 11 === 0 },
      { writerId: 'w1', oldestFirst: true, keeps: (i) => i % 3 === 1 },
    ];
    for (const { keeps, ...f } of cases) {
      const page = searchPageByPositions(db, plain.k, { ...f, limit: 50 }, picked);
      const plan = await queryPlan(plain, page.compile());
      assert.doesNotMatch(plan, /USING (COVERING )?INDEX/, `the page is not found through a filter's index (${JSON.stringify(f)}):\n${plan}`);
      assert.match(plan, /rowid=\?/, `it is read by position:\n${plan}`);
      const ids = (await page.execute()).map((r) => r.id);
      const kept = picked.filter(keeps).map(id).sort();
      assert.deepEqual(ids, (f.oldestFirst ? kept : kept.reverse()).slice(0, 50), `the picked letters the filter keeps, in order (${JSON.stringify(f)})`);
    }
  }));
