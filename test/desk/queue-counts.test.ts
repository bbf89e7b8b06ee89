// The queue's tab counts name what they count, on both databases: every
// article with letters by its title, every campaign by its first letter
// (subject, else its first eight words, however long the letter or its
// words), newest campaign first; a campaign whose first letter arrives
// between the counters' read and the names' read is still named, and one
// whose first letter is gone is called "Campaign" without asking again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely, KyselyPlugin } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { AppContext } from '../../src/context.ts';
import { forEachDialect } from '../support/databases.ts';
import { suiteContext } from '../support/context.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { relabelCampaign } from '../../src/db/repositories/letters.ts';
import { queueRoutes, type QueueCounts } from '../../src/server/routes/desk/queue.ts';

/** The tab counts as the route answers them, for a desk whose reads are `ctx.db`'s. */
async function counts(ctx: AppContext): Promise<QueueCounts> {
  const route = queueRoutes(ctx).find((r) => r.url === '/api/v1/queue/counts')!;
  return (await route.handler({} as never)) as QueueCounts;
}

/** The desk's reads, counted; with `early`, the campaigns' names (read from the counters' keys) answer nothing, as if read before the first letter came. */
function watched(ctx: AppContext, early: boolean): { ctx: AppContext; statements: () => number } {
  let statements = 0;
  const names = new Set<unknown>();
  const plugin: KyselyPlugin = {
    transformQuery: (a) => {
      statements++;
      const node = JSON.stringify(a.node);
      if (early && node.includes('"letter_counts"') && node.includes('"letters"')) names.add(a.queryId);
      return a.node;
    },
    transformResult: async (a) => (names.has(a.queryId) ? { ...a.result, rows: [] } : a.result),
  };
  return { ctx: { ...ctx, db: { ...ctx.db, read: (ctx.db.read as Kysely<Database>).withPlugin(plugin) } }, statements: () => statements };
}

forEachDialect('tab counts name their articles and campaigns', (dialect) => {
  const t = suiteContext(dialect);
  let n = 0;
  const letter = async (body: string, subject: string | null, article: string | null) =>
    (
      await intakeLetter(t.ctx, {
        source: 'api',
        article: article ? { id: article, method: 'form', confidence: 1 } : null,
        writer: { name: `Writer ${++n}`, email: `writer${n}@names.example`, town: null },
        subject,
        body,
        consent: true,
        exclusive: true,
        pow: 'off',
        dedupeKey: `names-${dialect}-${n}`,
        actor: 'test',
        meta: {},
      })
    ).letter.id;

  test('titles, subjects and first words, also when read before the first letter', async () => {
    const [a1, a2] = (await t.ctx.db.read.selectFrom('articles').select(['id', 'title']).orderBy('id').limit(2).execute());
    await letter('On the library: keep it open on Sundays.', null, a1!.id);
    await letter('Unmatched thoughts on the weather.', null, null);
    // Campaigns named by a subject, by the first eight words of a long letter, by words
    // that run past the 600 characters read (the cut word is left out), and one whose first letter is gone.
    const long = `${'Councillors should reconsider the plan to close the swimming pool on Elm Street. '.repeat(40)}`;
    const longWords = `${Array.from({ length: 7 }, (_, i) => `${String.fromCharCode(97 + i)}${'o'.repeat(79)}`).join(' ')} ${'w'.repeat(100)} and more words follow`;
    const bySubject = [await letter('Save the pool, please.', 'Save our pool', a2!.id), await letter('Save the pool, please!', 'Save our pool', a2!.id)];
    const byWords = [await letter(long, null, a2!.id), await letter(long, null, a2!.id)];
    const byLongWords = [await letter(longWords, null, a2!.id), await letter(longWords, null, a2!.id)];
    const orphans = [await letter('Letters whose first one was removed.', null, a2!.id), await letter('Letters whose first one was removed!', null, a2!.id)];
    for (const members of [bySubject, byWords, byLongWords]) await t.ctx.db.writes.run((trx) => relabelCampaign(t.ctx.db, trx, { campaignId: members[0]!, ids: members, merged: [] }));
    const gone = 'ffffffff-0000-7000-8000-000000000000';
    await t.ctx.db.writes.run((trx) => relabelCampaign(t.ctx.db, trx, { campaignId: gone, ids: orphans, merged: [] }));

    for (const early of [false, true]) {
      const when = early ? 'names read before the first letter' : 'read together';
      const desk = watched(t.ctx, early);
      const c = await counts(desk.ctx);
      // Counts and names beside them, then the titles: nothing asked again unless a name was missing.
      if (!early) assert.equal(desk.statements(), 3, `${when}: three reads`);
      const titles = new Map(c.byArticle.map((a) => [a.id, a.title]));
      assert.equal(titles.get(a1!.id), a1!.title, `${when}: the article's title`);
      assert.equal(titles.get(a2!.id), a2!.title, `${when}: the other article's title`);
      assert.equal(titles.get(null), null, `${when}: letters without an article count under none`);
      assert.deepEqual(
        c.byCampaign.map((x) => [x.id, x.name, x.total]),
        [
          [gone, 'Campaign', 2],
          [byLongWords[0]!, `${longWords.split(' ').slice(0, 7).join(' ')} …`, 2],
          [byWords[0]!, 'Councillors should reconsider the plan to close the …', 2],
          [bySubject[0]!, 'Save our pool', 2],
        ],
        `${when}: every campaign named, newest first`,
      );
      assert.equal(Object.values(c.byStatus).reduce((x, y) => x + y, 0), 10, `${when}: every letter counted (${JSON.stringify(c.byStatus)})`);
    }
  });
});
