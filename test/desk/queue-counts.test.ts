// The queue's tab counts name what they count, on both databases: every
// article with letters by its title, every campaign by its first letter
// (subject, else its first eight words, however long the letter); and an
// article or campaign whose first letter arrives between the counters' read
// and the names' read is still named, not shown as "Not matched" or
// "Campaign".
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

/** The desk with its name reads (titles from articles, names from letters, through the counters) answering nothing: as if read before the first letter came. */
function namesReadEarly(ctx: AppContext): AppContext {
  const early = new Set<unknown>();
  const plugin: KyselyPlugin = {
    transformQuery: (a) => {
      const node = JSON.stringify(a.node);
      if (node.includes('"letter_counts"') && (node.includes('"articles"') || node.includes('"letters"'))) early.add(a.queryId);
      return a.node;
    },
    transformResult: async (a) => (early.has(a.queryId) ? { ...a.result, rows: [] } : a.result),
  };
  return { ...ctx, db: { ...ctx.db, read: (ctx.db.read as Kysely<Database>).withPlugin(plugin) } };
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
    // A campaign named by its subject, and one by the first eight words of a long letter (longer than the 600 characters read for it).
    const long = `${'Councillors should reconsider the plan to close the swimming pool on Elm Street. '.repeat(40)}`;
    const bySubject = [await letter('Save the pool, please.', 'Save our pool', a2!.id), await letter('Save the pool, please!', 'Save our pool', a2!.id)];
    const byWords = [await letter(long, null, a2!.id), await letter(long, null, a2!.id)];
    for (const members of [bySubject, byWords]) await t.ctx.db.writes.run((trx) => relabelCampaign(t.ctx.db, trx, { campaignId: members[0]!, ids: members, merged: [] }));

    for (const [when, ctx] of [['read together', t.ctx], ['names read before the first letter', namesReadEarly(t.ctx)]] as const) {
      const c = await counts(ctx);
      const titles = new Map(c.byArticle.map((a) => [a.id, a.title]));
      assert.equal(titles.get(a1!.id), a1!.title, `${when}: the article's title`);
      assert.equal(titles.get(a2!.id), a2!.title, `${when}: the other article's title`);
      assert.equal(titles.get(null), null, `${when}: letters without an article count under none`);
      const names = new Map(c.byCampaign.map((x) => [x.id, x.name]));
      assert.equal(names.get(bySubject[0]!), 'Save our pool', `${when}: a campaign named by its subject`);
      assert.equal(names.get(byWords[0]!), 'Councillors should reconsider the plan to close the …', `${when}: a campaign named by its first words`);
      assert.equal(Object.values(c.byStatus).reduce((x, y) => x + y, 0), 6, `${when}: every letter counted (${JSON.stringify(c.byStatus)})`);
    }
  });
});
