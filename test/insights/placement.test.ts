// Arriving letters are placed among their article's lines of argument by a
// job: the round of event processors that screened them queues one job for
// all of them, and the job does the text work in the placing worker, which
// keeps each article's state (tens of kilobytes) by its stamp and asks for
// the states it lacks. A letter marked spam before the job runs is not placed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { place } from '../../src/insights-store/analysis-worker.ts';
import { PLACE_JOB, placeLetters } from '../../src/insights-store/place.ts';
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

forEachDialect('letters placed by a job', (dialect) => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(dialect);
  });
  after(() => app?.close());

  test("a round's letters are placed by one job; a letter marked spam meanwhile is not", async () => {
    const corpus = loadInsightLetters().get(ARTICLE)!;
    const ids: string[] = [];
    for (const [i, l] of corpus.slice(0, 3).entries()) {
      const r = await postJson(`${app.url}/api/v1/letters`, { article: ARTICLE, name: `Reader ${i}`, email: `placed${i}@example.net`, town: 'Leeds', body: l.body, consent: true });
      assert.equal(r.status, 202, JSON.stringify(r.json));
      ids.push(r.json.id as string);
    }
    await app.drainEvents();
    const { db } = app.ctx;
    const jobs = await db.read.selectFrom('jobs').select(['payload']).where('kind', '=', PLACE_JOB).where('done_at', 'is', null).execute();
    assert.deepEqual(jobs.map((j) => db.dialect.readJson<{ letterIds: string[] }>(j.payload, { letterIds: [] }).letterIds.sort()), [[...ids].sort()], 'one job names the three letters');
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
      const jobs = await db.read.selectFrom('jobs').select(['id', 'payload']).where('kind', '=', PLACE_JOB).where('done_at', 'is', null).execute();
      await placeLetters(app.ctx, jobs.flatMap((j) => db.dialect.readJson<{ letterIds: string[] }>(j.payload, { letterIds: [] }).letterIds));
      await db.writes.run((trx) => trx.deleteFrom('jobs').where('id', 'in', jobs.map((j) => j.id)).execute());
    };
    const corpus = loadInsightLetters().get(ARTICLE)!;
    const send = async (i: number) => {
      const r = await postJson(`${app.url}/api/v1/letters`, { article: tram, name: `Rider ${i}`, email: `rider${i}@example.net`, town: 'Leeds', body: corpus[10 + i]!.body, consent: true });
      assert.equal(r.status, 202, JSON.stringify(r.json));
    };
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
});
