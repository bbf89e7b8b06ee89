// Arriving letters are placed among their article's lines of argument by a
// job: the round of event processors that screened them queues one job for
// all of them, and the job does the text work in the placing worker, which
// keeps each article's state (tens of kilobytes) by its stamp and asks for
// the states it lacks. What changes while the job works is respected: a
// letter marked spam or erased is not placed, an editor's teaching is kept,
// and jobs side by side do not wait for each other in a circle.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { place } from '../../src/insights-store/analysis-worker.ts';
import { PLACE_JOB, placeLetters } from '../../src/insights-store/place.ts';
import { eraseWriter } from '../../src/publishing/writer-data.ts';
import type { KyselyPlugin } from 'kysely';
import type { AppContext } from '../../src/context.ts';
import type { Db } from '../../src/db/connect.ts';
import type { Trx } from '../../src/db/executor.ts';
import { eraseWriterData } from '../../src/db/repositories/writer-data.ts';
import { groupThemes } from '../../src/insights/index.ts';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { loadInsightLetters } from './corpus.ts';

const ARTICLE = 'seed-isi-taliban';

test('the placing worker asks for the states it does not hold, then places with the one it kept', () => {
  const letters = loadInsightLetters().get(ARTICLE)!.slice(0, 30).map((l) => ({ id: l.id, body: l.body }));
  const article = { id: ARTICLE, title: 'Pakistan, the ISI and the Taliban' };
  const themes = groupThemes({ article, letters });
  const key = `${ARTICLE}|test-${Date.now()}`;
  const ask = [{ key, article, letters: letters.slice(0, 3) }];
  assert.deepEqual(place(ask), { missing: [key] }, 'a state never sent is asked for');
  const sent = place([{ ...ask[0]!, state: { themes, stanceModel: null } }]);
  assert.ok('placements' in sent);
  assert.equal(sent.placements.length, 3);
  for (const p of sent.placements) {
    assert.ok(['agree', 'disagree', 'mixed'].includes(p.stance));
    assert.ok(p.themeId === null || themes.themes.some((t) => t.id === p.themeId), 'placed under one of the article\'s themes');
  }
  assert.deepEqual(place(ask), sent, 'the kept state places the same letters the same way');
});

test('the placing worker keeps the states it uses: one used on every batch outlives two hundred others sent since', () => {
  const article = (id: string) => ({ id, title: `Article ${id}` });
  const letter = { id: 'l1', body: 'The council should fund the library, not cut it.' };
  const state = { themes: null, stanceModel: null };
  const busy = { key: `busy|${Date.now()}`, article: article('busy'), letters: [letter] };
  assert.ok('placements' in place([{ ...busy, state }]));
  for (let i = 0; i < 199; i++) place([{ key: `other${i}|${Date.now()}`, article: article(`a${i}`), letters: [letter], state }]);
  assert.ok('placements' in place([busy]), 'still kept');
  // A batch with the busy article and a new one: only the new one's state is sent again.
  const fresh = { key: `new|${Date.now()}`, article: article('new'), letters: [letter] };
  assert.deepEqual(place([busy, fresh]), { missing: [fresh.key] });
  assert.ok('placements' in place([busy, { ...fresh, state }]), 'sending the missing state completes the batch');
});

forEachDialect('letters placed by a job', (dialect) => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(dialect);
  });
  after(() => app?.close());

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const sendTo = async (article: string, email: string, body: string) => {
    const r = await postJson(`${app.url}/api/v1/letters`, { article, name: 'Reader', email, town: 'Leeds', body, consent: true });
    assert.equal(r.status, 202, JSON.stringify(r.json));
    return r.json.id as string;
  };
  const insightOf = (id: string) => app.ctx.db.read.selectFrom('letter_insights').selectAll().where('letter_id', '=', id).executeTakeFirst();
  /** The placing jobs queued and not done: their ids, and the letters each names. */
  const queuedPlacements = async () => {
    const { db } = app.ctx;
    const jobs = await db.read.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', PLACE_JOB).where('done_at', 'is', null).execute();
    return jobs.map((j) => ({ id: j.id, letterIds: db.dialect.readJson<{ letterIds: string[] }>(j.payload, { letterIds: [] }).letterIds }));
  };
  /** The database with each write's work wrapped (run inside its transaction). */
  const wrappedWrites = (wrap: <T>(work: (trx: Trx) => Promise<T>, trx: Trx) => Promise<T>): Db => {
    const { db } = app.ctx;
    return { ...db, writes: { ...db.writes, run: ((work: Parameters<typeof db.writes.run>[0]) => db.writes.run((trx) => wrap(work, trx))) as typeof db.writes.run } };
  };

  test("a round's letters are placed by one job; a letter marked spam meanwhile is not", async () => {
    const corpus = loadInsightLetters().get(ARTICLE)!;
    const ids: string[] = [];
    for (const [i, l] of corpus.slice(0, 3).entries()) ids.push(await sendTo(ARTICLE, `placed${i}@example.net`, l.body));
    await app.drainEvents();
    assert.deepEqual((await queuedPlacements()).map((j) => j.letterIds.sort()), [[...ids].sort()], 'one job names the three letters');
    const viewer = await app.token('viewer');
    const letter = async (id: string) => (await getJson(`${app.url}/api/v1/letters/${id}`, viewer)).json;
    assert.equal((await letter(ids[0]!)).insight ?? null, null, 'not placed before the job runs');

    const spam = await postJson(`${app.url}/api/v1/letters/${ids[2]}/actions`, { action: 'spam' }, { authorization: `Bearer ${await app.token('editor')}` });
    assert.equal(spam.status, 200, JSON.stringify(spam.json));
    do await app.drainEvents();
    while ((await app.desk.background.runJobs()) > 0);
    for (const id of ids.slice(0, 2)) {
      const l = await letter(id);
      assert.ok(['agree', 'disagree', 'mixed'].includes(l.insight?.stance), `letter ${id} has a stance: ${JSON.stringify(l.insight)}`);
      assert.equal(l.insight.source, 'model');
    }
    assert.equal((await letter(ids[2]!)).insight ?? null, null, 'the spam letter is not placed');
  });

  test("an article's insights page, cached while nothing changed, shows letters once they are placed", async () => {
    const tram = 'a-riverside-tram';
    const viewer = await app.token('viewer');
    const { db } = app.ctx;
    const page = async () => (await getJson(`${app.url}/api/v1/articles/${tram}/insights`, viewer)).json;
    const voices = (v: any) => v.stance.agree + v.stance.disagree + v.stance.mixed;
    // The placing job's work alone (it also queues the article's first grouping, which would change the page too).
    const placeQueued = async () => {
      const jobs = await queuedPlacements();
      await placeLetters(app.ctx, jobs.flatMap((j) => j.letterIds));
      await db.writes.run((trx) => trx.deleteFrom('jobs').where('id', 'in', jobs.map((j) => j.id)).execute());
    };
    const corpus = loadInsightLetters().get(ARTICLE)!;
    const send = (i: number) => sendTo(tram, `rider${i}@example.net`, corpus[10 + i]!.body);
    await send(0);
    await app.drainEvents();
    await placeQueued();
    assert.equal(voices(await page()), 1, 'the first letter placed');
    await send(1);
    await send(2);
    await app.drainEvents();
    assert.equal(voices(await page()), 1, 'two more arrived, not placed yet');
    assert.equal(voices(await page()), 1, 'served again from the cache');
    await placeQueued();
    assert.equal(voices(await page()), 3, 'placing changed the page: it is not served from the cache');
  });

  // The job's work with a step of someone else's just before each of its writes (its one transaction, or a retry's).
  const beforeEachWrite = (step: (n: number) => Promise<void>): AppContext => {
    const { db } = app.ctx;
    let n = 0;
    const run = (async (work: Parameters<typeof db.writes.run>[0]) => {
      await step(++n);
      return db.writes.run(work);
    }) as typeof db.writes.run;
    return { ...app.ctx, db: { ...db, writes: { ...db.writes, run } } };
  };

  test('a letter erased between the job reading it and storing its placement keeps no insight', async () => {
    const email = 'erase-me@example.net';
    const id = await sendTo(ARTICLE, email, 'Pakistan and its intelligence service must stop sheltering the Taliban; I disagree with the article entirely.');
    await app.drainEvents();
    await placeLetters(
      beforeEachWrite(async (n) => {
        if (n === 1) assert.equal((await eraseWriter(app.ctx, email)).found, true);
      }),
      [id],
    );
    assert.equal(await insightOf(id), undefined, 'nothing worked out from the erased text is stored');
  });

  test("an editor's stance set while the job tries again is kept, even on its last try", async () => {
    const ids = [
      await sendTo(ARTICLE, 'try0@example.net', 'Pakistan must stop sheltering the Taliban; I disagree with this article.'),
      await sendTo(ARTICLE, 'try1@example.net', 'A fair piece, I agree with every word about the ISI.'),
      await sendTo(ARTICLE, 'try2@example.net', 'Some good points and some bad ones about Pakistan.'),
    ];
    await app.drainEvents();
    const editor = { authorization: `Bearer ${await app.token('editor')}` };
    const teach = async (id: string, stance: string) => {
      const r = await postJson(`${app.url}/api/v1/letters/${id}/actions`, { action: 'stance', stance }, editor);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    };
    // Two teachings of other letters make it try again twice; the third, of this letter, comes before its last write.
    const order: [string, string][] = [
      [ids[1]!, 'agree'],
      [ids[2]!, 'mixed'],
      [ids[0]!, 'agree'],
    ];
    await placeLetters(beforeEachWrite(async (n) => (order[n - 1] ? teach(...order[n - 1]!) : undefined)), [ids[0]!]);
    const row = await insightOf(ids[0]!);
    assert.equal(row?.stance_source, 'editor');
    assert.equal(row?.stance, 'agree');
  });

  test('placing jobs side by side over two articles, met in opposite orders, all store their placements', async () => {
    const tram = 'a-riverside-tram';
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      // Job k (letters 2k, 2k+1) meets the two articles in the order A, B or B, A.
      const k = Math.floor(i / 2);
      ids.push(await sendTo((i % 2 === 0) === (k % 2 === 0) ? ARTICLE : tram, `side${i}@example.net`, `Letter ${i}: the council and Pakistan and trams, I disagree.`));
    }
    await app.drainEvents();
    for (let rep = 0; rep < 6; rep++) {
      const jobs = Array.from({ length: 8 }, (_, k) => placeLetters(app.ctx, [ids[2 * k]!, ids[2 * k + 1]!]));
      const failed = (await Promise.allSettled(jobs)).filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
      assert.deepEqual(failed, []);
    }
    for (const id of ids) assert.ok((await insightOf(id))?.stance, `letter ${id} placed`);
  });

  test('an erasure that commits while the placement write runs (after its body check) leaves no insight', async () => {
    const email = 'race-erase@example.net';
    const id = await sendTo(ARTICLE, email, 'Pakistan and its intelligence service must stop sheltering the Taliban; I disagree with the article entirely.');
    await app.drainEvents();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inTrx!: () => void;
    const erasedUncommitted = new Promise<void>((r) => (inTrx = r));
    // The erasure's transaction has done its work and has not committed yet.
    const gated = wrappedWrites(async (work, trx) => {
      const r = await work(trx);
      inTrx();
      await gate;
      return r;
    });
    const erasing = eraseWriterData(gated, email, 'anonymise', 'Name withheld');
    await erasedUncommitted;
    const placing = placeLetters(app.ctx, [id]);
    await Promise.race([placing, sleep(1000)]);
    release();
    await placing;
    assert.equal((await erasing).found, true);
    assert.equal(await insightOf(id), undefined, 'nothing worked out from the erased text is stored');
  });

  test('placing a letter again while its writer is erased: neither transaction fails (deadlock)', async () => {
    const email = 'again-erase@example.net';
    const id = await sendTo(ARTICLE, email, 'The ISI has played a double game for decades; I agree with the article.');
    await app.drainEvents();
    await placeLetters(app.ctx, [id]);
    assert.ok(await insightOf(id), 'placed once');
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let first = true;
    // Pauses the placement's write right after its first statement (lockStampsAndTaught: the article's row locked).
    const pause: KyselyPlugin = {
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        if (first) {
          first = false;
          locked();
          await gate;
        }
        return a.result;
      },
    };
    const ctx: AppContext = { ...app.ctx, db: wrappedWrites((work, trx) => work(trx.withPlugin(pause))) };
    const placing = placeLetters(ctx, [id]);
    await holding;
    const erasing = eraseWriter(app.ctx, email);
    await sleep(500); // the erasure deleted the letter's insight row and waits for the article's row
    release();
    const outcomes = await Promise.allSettled([placing, erasing]);
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${i ? 'erasure' : 'placement'}: ${String(o.reason)}`] : []));
    assert.deepEqual(failed, []);
  });
});
