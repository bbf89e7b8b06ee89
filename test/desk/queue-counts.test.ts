// The queue's counts and pages name what they count, on both databases, over
// HTTP: the tabs count every letter; the article filter lists the articles
// with the most letters in the tab, by title, and the campaign filter the
// newest campaigns with letters in it, by their first letter (subject, else
// its first eight words, however long the letter or its words), a hundred of
// each at most with how many more there are; a page of letters carries its
// articles' titles and its campaigns with their names and letters by status.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { relabelCampaign } from '../../src/db/repositories/letters.ts';
import { saveArticle } from '../../src/articles/save.ts';
import { letterCountsInFull } from '../../src/db/repositories/letter-counts.ts';
import { campaignsWithLetters } from '../../src/db/repositories/desk-queue.ts';
import type { QueueCounts } from '../../src/server/routes/desk/queue.ts';
import type { LetterList } from '../../src/server/routes/letters/schema.ts';
import { call, createUser, openSession } from './support.ts';

forEachDialect('the queue names what it counts, and lists a bounded number', (dialect) => {
  let t: TestApp;
  let who: { cookie: string; csrf: string };
  let n = 0;
  before(async () => {
    t = await startTestApp(dialect);
    t.ctx.publication.policies.requireConfirmation = false;
    who = await openSession(t.ctx, (await createUser(t.ctx, 'viewer')).id);
  });
  after(() => t?.close());

  const get = async <T>(path: string): Promise<T> => {
    const r = await call(t.url, 'GET', path, who);
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.json)}`);
    return r.json as T;
  };
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
  const campaign = (id: string, ids: string[]) => t.ctx.db.writes.run((trx) => relabelCampaign(t.ctx.db, trx, { campaignId: id, ids, merged: [] }));
  const setStatus = (ids: string[], status: string) => t.ctx.db.writes.run((trx) => trx.updateTable('letters').set({ status }).where('id', 'in', ids).execute());

  test('titles, names from subjects and first words, newest campaign first, in the counts and on the page', async () => {
    const [a1, a2] = await t.ctx.db.read.selectFrom('articles').select(['id', 'title']).orderBy('id').limit(2).execute();
    const lone = await letter('On the library: keep it open on Sundays.', null, a1!.id);
    await letter('Unmatched thoughts on the weather.', null, null);
    // Campaigns named by a subject, by the first eight words of a long letter, by words
    // that run past the 600 characters read (the cut word is left out), and one whose first letter is gone.
    const long = 'Councillors should reconsider the plan to close the swimming pool on Elm Street. '.repeat(40);
    const longWords = `${Array.from({ length: 7 }, (_, i) => `${String.fromCharCode(97 + i)}${'o'.repeat(79)}`).join(' ')} ${'w'.repeat(100)} and more words follow`;
    const bySubject = [await letter('Save the pool, please.', 'Save our pool', a2!.id), await letter('Save the pool, please!', 'Save our pool', a2!.id)];
    const byWords = [await letter(long, null, a2!.id), await letter(long, null, a2!.id)];
    const byLongWords = [await letter(longWords, null, a2!.id), await letter(longWords, null, a2!.id)];
    const orphans = [await letter('Letters whose first one was removed.', null, a2!.id), await letter('Letters whose first one was removed!', null, a2!.id)];
    for (const members of [bySubject, byWords, byLongWords]) await campaign(members[0]!, members);
    const gone = 'ffffffff-0000-7000-8000-000000000000';
    await campaign(gone, orphans);
    await setStatus([bySubject[1]!], 'shortlisted');

    const named = [
      [gone, 'Campaign'],
      [byLongWords[0]!, `${longWords.split(' ').slice(0, 7).join(' ')} …`],
      [byWords[0]!, 'Councillors should reconsider the plan to close the …'],
      [bySubject[0]!, 'Save our pool'],
    ];
    const c = await get<QueueCounts>('/api/v1/queue/counts');
    assert.deepEqual(c.byStatus, { new: 9, shortlisted: 1 }, 'every letter counted under its status');
    assert.deepEqual(
      c.byArticle.map((a) => [a.id, a.title, a.letters, a.total]),
      [[a2!.id, a2!.title, 8, 8], [null, null, 1, 1], [a1!.id, a1!.title, 1, 1]],
      'articles by title, most letters first (then by id); unmatched letters under none',
    );
    assert.deepEqual(c.byCampaign.map((x) => [x.id, x.name, x.total]), named.map(([id, name]) => [id, name, 2]), 'every campaign named, newest first');
    assert.deepEqual([c.moreArticles, c.moreCampaigns], [0, 0]);

    // The "new" tab: what each list counts is the tab's letters; the total stays beside it.
    const fresh = await get<QueueCounts>('/api/v1/queue/counts?status=new');
    assert.deepEqual(fresh.status, ['new']);
    assert.deepEqual(fresh.byStatus, c.byStatus, 'the tabs count every status whichever is open');
    assert.deepEqual(fresh.byArticle.find((a) => a.id === a2!.id), { id: a2!.id, title: a2!.title, letters: 7, total: 8 });
    assert.deepEqual(fresh.byCampaign.find((x) => x.id === bySubject[0]), { id: bySubject[0], name: 'Save our pool', letters: 1, total: 2 });
    const shortlisted = await get<QueueCounts>('/api/v1/queue/counts?status=shortlisted');
    assert.deepEqual(shortlisted.byArticle.map((a) => [a.id, a.letters]), [[a2!.id, 1]], 'only articles with letters in the tab');
    assert.deepEqual(shortlisted.byCampaign.map((x) => x.id), [bySubject[0]]);
    assert.equal((await call(t.url, 'GET', '/api/v1/queue/counts?status=lost', who)).status, 422, 'a status that does not exist is refused');
    const both = await get<QueueCounts>('/api/v1/queue/counts?status=shortlisted,declined');
    assert.deepEqual(both.byArticle.map((a) => [a.id, a.letters, a.total]), [[a2!.id, 1, 8]], 'statuses as the list takes them, comma-separated');
    assert.deepEqual((await get<QueueCounts>('/api/v1/queue/counts?status=,')).status, null, 'an empty list of statuses is any');
    // The article the desk has open is listed also without letters in the tab, by its title, and is not counted among those not listed.
    const open = await get<QueueCounts>(`/api/v1/queue/counts?status=shortlisted&article=${encodeURIComponent(a1!.id)}`);
    assert.deepEqual(open.byArticle.at(-1), { id: a1!.id, title: a1!.title, letters: 0, total: 1 });
    assert.equal(open.moreArticles, 0);
    assert.deepEqual((await get<QueueCounts>('/api/v1/queue/counts?status=shortlisted&article=none')).byArticle.at(-1), { id: null, title: null, letters: 0, total: 1 });

    // A page of letters: its articles' titles, and its campaigns named with their letters by status.
    const page = await get<LetterList>('/api/v1/letters?limit=50');
    assert.equal(page.items.find((l) => l.id === lone)!.article.title, a1!.title);
    assert.equal(page.items.find((l) => l.article.id === null)!.article.title, null);
    assert.deepEqual(
      page.campaigns.sort((x, y) => (x.id < y.id ? 1 : -1)).map((x) => [x.id, x.name, x.total, x.byStatus]),
      named.map(([id, name]) => [id, name, 2, id === bySubject[0] ? { new: 1, shortlisted: 1 } : { new: 2 }]),
    );
    const onlyNew = await get<LetterList>('/api/v1/letters?limit=50&status=shortlisted');
    assert.deepEqual(onlyNew.campaigns.map((x) => x.id), [bySubject[0]], "only the campaigns of the page's letters");
    const none = await get<LetterList>(`/api/v1/letters?limit=50&article=${encodeURIComponent(a1!.id)}`);
    assert.deepEqual(none.campaigns, [], 'a page without campaign letters lists none');
    // The campaign the desk has open is answered also when none of its letters is on the page: its panel names and counts it.
    const elsewhere = await get<LetterList>(`/api/v1/letters?limit=50&status=declined&campaign=${encodeURIComponent(byWords[0]!)}`);
    assert.deepEqual([elsewhere.items.length, elsewhere.campaigns.map((x) => [x.id, x.name, x.total])], [0, [[byWords[0], 'Councillors should reconsider the plan to close the …', 2]]]);

    // A status a campaign no longer has letters in is not one it is counted in (SQLite keeps the emptied counter row until the fold; PostgreSQL may count it in another slot).
    await setStatus(byWords, 'shortlisted');
    const moved = await get<LetterList>(`/api/v1/letters?limit=50&campaign=${encodeURIComponent(byWords[0]!)}`);
    assert.deepEqual(moved.campaigns.map((x) => [x.id, x.total, x.byStatus]), [[byWords[0], 2, { shortlisted: 2 }]]);
    assert.ok(!(await get<QueueCounts>('/api/v1/queue/counts?status=new')).byCampaign.some((x) => x.id === byWords[0]), 'nor listed under it');
    assert.ok((await get<QueueCounts>('/api/v1/queue/counts?status=shortlisted')).byCampaign.some((x) => x.id === byWords[0] && x.letters === 2));
  });

  test('a hundred articles and campaigns at most, with how many more there are', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 103; i++) {
      const { article } = await saveArticle(t.ctx.db, { url: `https://news.example/many/${dialect}/${i}`, title: `Many ${String(i).padStart(3, '0')}` });
      ids.push(await letter(`A letter on article ${i} about the bridge and the budget.`, null, article.id));
      if (i === 102) ids.push(await letter('A second letter on the last article.', null, article.id), await letter('A third letter on the last article.', null, article.id));
    }
    // A campaign of one letter each, its id newer than the last (none of them names a letter).
    for (let i = 0; i < 103; i++) await campaign(`ffffffff-${String(i).padStart(4, '0')}-7000-8000-000000000000`, [ids[i]!]);
    const c = await get<QueueCounts>('/api/v1/queue/counts?status=new');
    // What there is to list, counted from the letters themselves.
    const full = (await letterCountsInFull(t.ctx.db)).filter((x) => x.status === 'new' && x.n > 0);
    const articles = full.filter((x) => x.dimension === 'article').length;
    const campaigns = full.filter((x) => x.dimension === 'campaign').length;
    assert.ok(articles > 103 && campaigns > 103, `${articles} articles and ${campaigns} campaigns with new letters`);
    assert.equal(c.byArticle.length, 100);
    // The hundred with the most new letters, most first, each with its count.
    const newLetters = new Map(full.filter((x) => x.dimension === 'article').map((x) => [x.key, x.n]));
    assert.deepEqual(c.byArticle.map((a) => a.letters), c.byArticle.map((a) => newLetters.get(a.id)));
    assert.deepEqual(c.byArticle.map((a) => a.letters), [...c.byArticle.map((a) => a.letters)].sort((x, y) => y - x), 'most letters first');
    const unlisted = [...newLetters].filter(([id]) => !c.byArticle.some((a) => a.id === id)).map(([, k]) => k);
    assert.ok(Math.max(...unlisted) <= c.byArticle.at(-1)!.letters, 'none left out has more letters than one listed');
    assert.ok(c.byArticle.some((a) => a.title === 'Many 102' && a.letters === 3), 'the article with three letters among them, by its title');
    assert.equal(c.moreArticles, articles - 100);
    assert.equal(c.byCampaign.length, 100);
    assert.deepEqual(
      c.byCampaign.slice(0, 2).map((x) => [x.id, x.name]),
      [['ffffffff-0102-7000-8000-000000000000', 'Campaign'], ['ffffffff-0101-7000-8000-000000000000', 'Campaign']],
      'newest first',
    );
    assert.deepEqual([c.moreCampaigns, c.moreCampaignsThan], [campaigns - 100, false]);

    // An article outside the hundred, open, is listed last and not counted among those not listed.
    const unlistedId = [...newLetters.keys()].find((id) => !c.byArticle.some((a) => a.id === id))!;
    const open = await get<QueueCounts>(`/api/v1/queue/counts?status=new&article=${encodeURIComponent(unlistedId ?? 'none')}`);
    assert.deepEqual([open.byArticle.length, open.byArticle.at(-1)!.id, open.byArticle.at(-1)!.letters, open.moreArticles], [101, unlistedId, newLetters.get(unlistedId), articles - 101]);
    assert.equal((await call(t.url, 'GET', '/api/v1/queue/counts?article=', who)).status, 422, 'an empty article is refused');

    // Campaigns beyond the listed ones are counted up to a bound, then said to be more.
    const capped = await campaignsWithLetters(t.ctx.db, ['new'], 100, 2);
    assert.deepEqual([capped.items.length, capped.more, capped.moreThan], [100, 2, true]);
    const exact = await campaignsWithLetters(t.ctx.db, ['new'], 100, campaigns - 100);
    assert.deepEqual([exact.more, exact.moreThan], [campaigns - 100, false]);
  });
});
