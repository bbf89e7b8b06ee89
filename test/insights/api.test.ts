// What readers think, through the API on each database: letters sent by the
// web door are screened, placed and grouped by the background as it runs in
// production (event processors, then jobs); the insights, letters and
// weekly report are read back as a desk would; editors teach through
// letter actions and theme routes. Letters are the labelled corpus's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { loadInsightLetters, type CorpusLetter } from './corpus.ts';
import { eraseWriter } from '../../src/publishing/writer-data.ts';
import { GROUP_JOB, groupingSchedule, REGROUP_SPACING } from '../../src/insights-store/regroup.ts';
import { enqueueJob } from '../../src/db/repositories/jobs.ts';

const ARTICLE = 'seed-isi-taliban';
const TRAM = 'a-riverside-tram';

async function runBackground(app: TestApp): Promise<void> {
  do await app.drainEvents();
  while ((await app.desk.background.runJobs()) > 0);
}

/** Brings queued groupings forward to now, as time passing would (automatic ones are spaced: REGROUP_SPACING). */
async function groupingsDue(app: TestApp): Promise<void> {
  const { db } = app.ctx;
  await db.writes.run((trx) => trx.updateTable('jobs').set({ run_at: db.dialect.time(new Date()) }).where('kind', '=', GROUP_JOB).where('done_at', 'is', null).execute());
}

test('automatic groupings are spaced by twenty times the last one took, one after another across articles', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  const at = (s: number) => new Date(now.getTime() + s * 1000);
  assert.equal(REGROUP_SPACING, 20);
  const schedule = groupingSchedule();
  assert.deepEqual(schedule.place('a', at(-10), now), now, 'not grouped on this node: now');
  schedule.took('a', 1000);
  assert.deepEqual(schedule.place('a', null, now), now, 'never grouped: now');
  assert.deepEqual(schedule.place('a', at(-10), now), at(10), 'a grouping of a second: 20 s after the last');
  schedule.took('b', 100);
  assert.deepEqual(schedule.place('b', at(-60), now), at(30), 'another article waits for the 20 s the first reserved');
  assert.deepEqual(schedule.place('b', at(-60), at(40)), at(40), 'once past the reservations: when asked');
  const fresh = groupingSchedule();
  fresh.took('c', 100);
  assert.deepEqual(fresh.place('c', at(-10), now), now, 'of 0.1 s: 2 s after the last, which is past');
});

async function send(app: TestApp, article: string, body: string, n: number): Promise<string> {
  const r = await postJson(`${app.url}/api/v1/letters`, { article, name: `Reader ${n}`, email: `reader${n}@example.net`, town: 'Leeds', body, consent: true });
  assert.equal(r.status, 202, JSON.stringify(r.json));
  return r.json.id as string;
}

async function insights(app: TestApp, article: string): Promise<any> {
  const r = await getJson(`${app.url}/api/v1/articles/${article}/insights`, await app.token('viewer'));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

async function act(app: TestApp, id: string, body: Record<string, unknown>, role: 'editor' | 'viewer' = 'editor') {
  return postJson(`${app.url}/api/v1/letters/${id}/actions`, body, { authorization: `Bearer ${await app.token(role)}` });
}

async function newArticle(app: TestApp, id: string, title: string): Promise<void> {
  const r = await postJson(`${app.url}/api/v1/articles`, { id, url: `https://review.example.com/${id}`, title }, { authorization: `Bearer ${await app.token('editor')}` });
  assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.json));
}

forEachDialect('what readers think, through the API', (dialect) => {
  let app: TestApp;
  const corpus: CorpusLetter[] = loadInsightLetters().get(ARTICLE)!;
  const idOf = new Map<string, string>(); // corpus id -> letter id
  const labelOf = new Map<string, CorpusLetter>(); // letter id -> corpus letter

  before(async () => {
    app = await startTestApp(dialect);
  });
  after(() => app?.close());

  describe('an article with letters', () => {
    test('letters are grouped into themes with voices, stance and representatives from their own theme', async () => {
      // Four fifths first: the rest arrive after the first grouping.
      for (const [i, l] of corpus.slice(0, 48).entries()) {
        const id = await send(app, ARTICLE, l.body, i);
        idOf.set(l.id, id);
        labelOf.set(id, l);
      }
      await runBackground(app);
      const v = await insights(app, ARTICLE);
      assert.equal(v.grouping.status, 'grouped', v.grouping.message);
      assert.ok(v.themes.length >= 2 && v.themes.length <= 7, `${v.themes.length} themes`);
      // Voices: letters minus campaign letters plus campaigns, counted from the letters' own records.
      const list = await getJson(`${app.url}/api/v1/letters?article=${ARTICLE}&limit=200`, await app.token('viewer'));
      const letters = list.json.items.filter((l: any) => l.status !== 'spam');
      const campaigns = new Set(letters.map((l: any) => l.screening.campaign).filter(Boolean));
      const campaignLetters = letters.filter((l: any) => l.screening.campaign).length;
      assert.ok(campaigns.size >= 1, 'the corpus campaign is recognised');
      assert.equal(v.voices, letters.length - campaignLetters + campaigns.size);
      assert.equal(v.voiceCount.campaigns, campaigns.size);
      for (const t of v.themes) {
        assert.ok(t.representatives.length >= 1, `theme ${t.label} has representatives`);
        for (const r of t.representatives) {
          assert.ok(t.letterIds.includes(r.letterId), `representative ${r.letterId} belongs to ${t.label}`);
          assert.ok(r.excerpt.length > 10);
        }
        assert.equal(t.stance.agree + t.stance.disagree + t.stance.mixed, t.voices, 'each voice in a theme has a stance');
        assert.ok(t.label.length > 0 && t.phrases.length > 0);
      }
      assert.equal(v.stance.agree + v.stance.disagree + v.stance.mixed, v.voices);
      assert.equal(v.byDoor.api, 48);
      assert.ok(v.perDay.length >= 1);
      // Every letter's record says where it stands.
      for (const l of letters) {
        assert.ok(l.insight, `letter ${l.id} has an insight`);
        assert.ok(['agree', 'disagree', 'mixed'].includes(l.insight.stance));
        assert.equal(l.insight.source, 'model');
      }
      const inThemes = v.themes.reduce((a: number, t: any) => a + t.letters, 0);
      assert.equal(inThemes + v.unassigned + v.pendingThemes.length, letters.length);
    });

    test('themes keep their ids when letters are added, and new letters are placed as they arrive', async () => {
      const before = await insights(app, ARTICLE);
      const beforeIds = new Map(before.themes.map((t: any) => [t.id, new Set(t.letterIds)]));
      // One letter: placed on arrival (by the job its round queued) under a theme that exists.
      const first = corpus[48]!;
      const one = await send(app, ARTICLE, first.body, 48);
      idOf.set(first.id, one);
      labelOf.set(one, first);
      await runBackground(app);
      const placed = (await getJson(`${app.url}/api/v1/letters/${one}`, await app.token('viewer'))).json;
      assert.ok(placed.insight?.stance, 'stance estimated on arrival');
      if (placed.insight.theme) assert.ok(beforeIds.has(placed.insight.theme), 'placed under an existing theme');
      for (const [i, l] of corpus.slice(49).entries()) {
        const id = await send(app, ARTICLE, l.body, 49 + i);
        idOf.set(l.id, id);
        labelOf.set(id, l);
      }
      await runBackground(app);
      // The grouping it asked for may wait (spaced from the last): as if time passed.
      await groupingsDue(app);
      await runBackground(app);
      const after = await insights(app, ARTICLE);
      assert.ok(after.grouping.groupedLetters > before.grouping.groupedLetters, 'grown by a fifth: grouped again');
      // A theme that persists (most of its letters still together, and most of the new theme's letters from it) keeps its id.
      const themeNow = new Map<string, string>();
      for (const t of after.themes) for (const id of t.letterIds) themeNow.set(id, t.id);
      let persisted = 0;
      for (const [id, members] of beforeIds as Map<string, Set<string>>) {
        const counts = new Map<string, number>();
        for (const m of members) counts.set(themeNow.get(m) ?? '', (counts.get(themeNow.get(m) ?? '') ?? 0) + 1);
        const [bestId, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
        const target = after.themes.find((u: any) => u.id === bestId);
        if (target && n / members.size >= 0.6 && n / target.letterIds.length >= 0.6) {
          assert.equal(bestId, id, `theme ${id} persisted under another id`);
          persisted++;
        }
      }
      assert.ok(persisted >= 1, 'some themes persist');
      const oldIds = new Set(beforeIds.keys());
      for (const t of after.themes) if (!oldIds.has(t.id)) assert.ok(Number(t.id.slice(1)) > Math.max(...[...oldIds].map((x) => Number(String(x).slice(1)))), 'ids are never reused');
    });

    test('editors teach: filed letters make named themes and most other letters follow; stance set by hand', async () => {
      // The tram letters (the corpus's article whose lines the engine tells apart best; see quality.test.ts).
      const tram = loadInsightLetters().get(TRAM)!;
      for (const [i, l] of tram.entries()) {
        const id = await send(app, TRAM, l.body, 500 + i);
        idOf.set(l.id, id);
        labelOf.set(id, l);
      }
      await runBackground(app);
      const untaught = await insights(app, TRAM);
      assert.equal(untaught.grouping.status, 'grouped');
      // Two letters of each labelled line, in file order, filed under its name.
      const byTheme = new Map<string, CorpusLetter[]>();
      for (const l of tram) byTheme.set(l.theme, [...(byTheme.get(l.theme) ?? []), l]);
      const taught = new Set<string>();
      for (const [theme, ls] of byTheme) {
        for (const l of ls.slice(0, 2)) {
          const r = await act(app, idOf.get(l.id)!, { action: 'theme', theme });
          assert.equal(r.status, 200, JSON.stringify(r.json));
          assert.equal(r.json.insight.themeName, theme);
          assert.equal(r.json.insight.themeSource, 'editor');
          assert.ok(r.json.history.some((h: any) => h.action === 'theme' && h.data.theme === theme), 'the filing is in the history');
          taught.add(idOf.get(l.id)!);
        }
      }
      await runBackground(app);
      const v = await insights(app, TRAM);
      const named = new Map(v.themes.map((t: any) => [t.label, t]));
      for (const theme of byTheme.keys()) assert.ok(named.has(theme), `a theme named ${theme}`);
      let right = 0;
      let total = 0;
      for (const t of v.themes)
        for (const id of t.letterIds) {
          if (taught.has(id)) {
            assert.equal(t.label, labelOf.get(id)!.theme, 'a filed letter stays where it was filed');
            continue;
          }
          total++;
          if (labelOf.get(id)?.theme === t.label) right++;
        }
      console.log(`[${dialect}] after teaching two letters per line: ${right} of ${total} other letters under the right theme`);
      // The engine's aim is 70% on these letters (quality.test.ts measures 0.7+ on the texts alone); through the web door, a little below.
      assert.ok(right / total >= 0.65, `${right} of ${total} under the right theme`);

      // Stance by hand: shown at once, in the history, kept by the next grouping.
      const letter = idOf.get(corpus[0]!.id)!;
      const r = await act(app, letter, { action: 'stance', stance: 'mixed' });
      assert.equal(r.status, 200);
      assert.deepEqual([r.json.insight.stance, r.json.insight.source, r.json.insight.stanceConfidence], ['mixed', 'editor', 1]);
      assert.ok(r.json.history.some((h: any) => h.action === 'stance' && h.data.stance === 'mixed'));
      await runBackground(app);
      const again = (await getJson(`${app.url}/api/v1/letters/${letter}`, await app.token('viewer'))).json;
      assert.deepEqual([again.insight.stance, again.insight.source], ['mixed', 'editor']);

      // Viewers read but do not teach; nonsense is refused with the reason.
      assert.equal((await act(app, letter, { action: 'stance', stance: 'agree' }, 'viewer')).status, 403);
      const bad = await act(app, letter, { action: 'stance', stance: 'furious' });
      assert.equal(bad.status, 422);
      assert.equal((await act(app, letter, { action: 'theme', theme: '   ' })).status, 422);
    });

    test("an editor's teaching brings a grouping queued for later forward", async () => {
      const { db } = app.ctx;
      // A grouping asked for by growth, waiting an hour (spaced from the last one).
      const jobId = await db.writes.run(async (trx) => {
        const id = await enqueueJob(db, trx, GROUP_JOB, { articleId: ARTICLE }, new Date(Date.now() + 3600_000));
        await trx.updateTable('article_insights').set({ job_id: id }).where('article_id', '=', ARTICLE).execute();
        return id;
      });
      const letter = idOf.get(corpus[1]!.id)!;
      assert.equal((await act(app, letter, { action: 'stance', stance: 'disagree' })).status, 200);
      const job = await db.read.selectFrom('jobs').select(['run_at', 'done_at']).where('id', '=', jobId).executeTakeFirstOrThrow();
      assert.ok(job.done_at || db.dialect.readTime(job.run_at).getTime() <= Date.now(), 'due now, not in an hour');
      await runBackground(app);
      assert.ok((await db.read.selectFrom('jobs').select('done_at').where('id', '=', jobId).executeTakeFirstOrThrow()).done_at, 'and run');
    });

    test('themes are renamed and merged, keeping ids', async () => {
      const editor = { authorization: `Bearer ${await app.token('editor')}` };
      const v = await insights(app, ARTICLE);
      const [a, b] = v.themes;
      const renamed = await postJson(`${app.url}/api/v1/articles/${ARTICLE}/themes/${a.id}/rename`, { name: 'Stop paying Pakistan' }, editor);
      assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
      const ra = renamed.json.themes.find((t: any) => t.id === a.id);
      assert.equal(ra.label, 'Stop paying Pakistan');
      assert.deepEqual(new Set(ra.letterIds), new Set(a.letterIds));
      const merged = await postJson(`${app.url}/api/v1/articles/${ARTICLE}/themes/${b.id}/merge`, { into: a.id }, editor);
      assert.equal(merged.status, 200, JSON.stringify(merged.json));
      assert.ok(!merged.json.themes.some((t: any) => t.id === b.id), 'the merged theme is gone');
      const ma = merged.json.themes.find((t: any) => t.id === a.id);
      for (const id of b.letterIds) assert.ok(ma.letterIds.includes(id), 'its letters moved');
      // The next grouping keeps the name and the merge.
      const grouped = await postJson(`${app.url}/api/v1/articles/${ARTICLE}/insights/group`, {}, editor);
      assert.equal(grouped.status, 200);
      const after = await insights(app, ARTICLE);
      const kept = after.themes.find((t: any) => t.label === 'Stop paying Pakistan');
      assert.ok(kept, 'the name survives a re-grouping');
      assert.equal(kept.id, a.id);
      assert.equal((await postJson(`${app.url}/api/v1/articles/${ARTICLE}/themes/t999/rename`, { name: 'x' }, editor)).status, 404);
    });

    test('fairness: the published letters compared with those received', async () => {
      const v = await insights(app, ARTICLE);
      const agreeing = v.themes.flatMap((t: any) => t.letterIds).slice(0, 3);
      for (const id of agreeing) {
        await act(app, id, { action: 'stance', stance: 'agree' });
        await act(app, id, { action: 'shortlist' });
        const r = await act(app, id, { action: 'publish' });
        assert.equal(r.status, 200, JSON.stringify(r.json));
      }
      await runBackground(app);
      const f = (await insights(app, ARTICLE)).fairness;
      assert.equal(f.published, 3);
      const s = f.sentences.find((x: string) => x.startsWith('Published: 3 of 3 agree; received: '));
      assert.ok(s, f.sentences.join(' | '));
      assert.ok(f.sentences.some((x: string) => x.startsWith('First-time writers:')));
    });
  });

  describe('erasure', () => {
    test("an erased writer's letter leaves the themes, their representatives and what it taught", async () => {
      const v = await insights(app, ARTICLE);
      // A letter not published (a published letter keeps its published text, which may stand for its theme again).
      const viewer = await app.token('viewer');
      let rep = '';
      for (const r of v.themes.flatMap((t: any) => t.representatives)) {
        if ((await getJson(`${app.url}/api/v1/letters/${r.letterId}`, viewer)).json.status !== 'published') {
          rep = r.letterId;
          break;
        }
      }
      assert.ok(rep);
      await act(app, rep, { action: 'stance', stance: 'disagree' });
      const email = (await getJson(`${app.url}/api/v1/letters/${rep}`, await app.token('viewer'))).json.writer.email;
      const report = await eraseWriter(app.ctx, email);
      assert.equal(report.found, true);
      const leftNow = JSON.stringify(await app.ctx.db.read.selectFrom('article_insights').selectAll().where('article_id', '=', ARTICLE).executeTakeFirstOrThrow());
      assert.ok(!leftNow.includes(rep), 'the stored themes and teaching no longer name the letter');
      assert.equal((await app.ctx.db.read.selectFrom('letter_insights').select('letter_id').where('letter_id', '=', rep).execute()).length, 0);
      await runBackground(app);
      const after = await insights(app, ARTICLE);
      for (const t of after.themes) assert.ok(!t.representatives.some((r: any) => r.letterId === rep), 'not a representative any more');
    });
  });

  describe('bad input is a sensible page, never an error', () => {
    test('no letters, one letter, one-word letters, identical letters, another language, a very long letter', async () => {
      await newArticle(app, 'empty', 'An article nobody wrote about');
      const empty = await insights(app, 'empty');
      assert.equal(empty.grouping.status, 'no-letters');
      assert.equal(empty.voices, 0);
      assert.deepEqual(empty.themes, []);

      await newArticle(app, 'lonely', 'An article with one letter');
      await send(app, 'lonely', 'I thought this was a fair piece and I agree with most of it.', 1001);
      await runBackground(app);
      const one = await insights(app, 'lonely');
      assert.equal(one.grouping.status, 'too-few-letters');
      assert.match(one.grouping.message, /too few letters to group/i);

      const cases: [string, (i: number) => string][] = [
        ['one-word', () => 'Nonsense.'],
        ['identical', () => 'The council should fund the library properly and stop closing branches on weekends.'],
        ['foreign', (i) => ['Ich halte den Artikel für einseitig und falsch.', 'Der Autor hat völlig recht, danke für diesen Beitrag.', 'Die Regierung sollte die Hilfe sofort einstellen.'][i % 3]!],
        ['long (900 words)', (i) => Array.from({ length: 90 }, (_, k) => `Point ${k + i} about the budget and the library hours.`).join(' ')],
      ];
      for (const [name, body] of cases) {
        await newArticle(app, `bad-${name.split(' ')[0]}`, `An article about ${name} letters`);
        for (let i = 0; i < 10; i++) await send(app, `bad-${name.split(' ')[0]}`, body(i), 2000 + i + name.length * 100);
        await runBackground(app);
        const v = await insights(app, `bad-${name.split(' ')[0]}`);
        assert.ok(['grouped', 'too-few-letters'].includes(v.grouping.status), `${name}: ${v.grouping.status}`);
        assert.ok(v.grouping.message.length > 0);
        assert.equal(v.letters, 10);
        for (const t of v.themes) for (const r of t.representatives) assert.ok(t.letterIds.includes(r.letterId));
      }
    });
  });

  describe('weekly report', () => {
    test('the most-written-about articles with voices, themes, stance and campaigns set aside, as JSON, Markdown and HTML', async () => {
      const from = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      const viewer = await app.token('viewer');
      const r = await getJson(`${app.url}/api/v1/reports/weekly?from=${from}`, viewer);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      const top = r.json.articles[0];
      assert.equal(top.id, ARTICLE, 'the article with most voices comes first');
      const v = await insights(app, ARTICLE);
      assert.equal(top.voices, v.voices);
      assert.ok(top.themes.length >= 2);
      assert.ok(r.json.campaigns.some((c: any) => c.articleId === ARTICLE && c.letters >= 2), 'the campaign is set aside');
      assert.equal(r.json.voices, r.json.letters - r.json.campaigns.reduce((a: number, c: any) => a + c.letters, 0) + r.json.campaigns.length);
      const md = await fetch(`${app.url}/api/v1/reports/weekly?from=${from}&format=markdown`, { headers: { authorization: `Bearer ${viewer}` } });
      assert.match(md.headers.get('content-type')!, /text\/markdown/);
      const mdText = await md.text();
      assert.match(mdText, /## Campaigns set aside/);
      assert.ok(mdText.includes('Stop paying Pakistan'));
      const h = await fetch(`${app.url}/api/v1/reports/weekly?from=${from}&format=html`, { headers: { authorization: `Bearer ${viewer}` } });
      assert.match(h.headers.get('content-type')!, /text\/html/);
      assert.match(await h.text(), /<h2>1\. Is Pakistan a Bigger Obstacle/);
      // A week with no letters.
      const empty = await getJson(`${app.url}/api/v1/reports/weekly?from=2001-01-01`, viewer);
      assert.deepEqual([empty.status, empty.json.letters, empty.json.articles.length], [200, 0, 0]);
      assert.equal((await getJson(`${app.url}/api/v1/reports/weekly?from=yesterday`, viewer)).status, 422);
    });

    test('the OpenAPI document describes insights, theme routes and the report', async () => {
      const doc = (await getJson(`${app.url}/api/v1/openapi.json`)).json;
      assert.ok(doc.paths['/api/v1/reports/weekly']?.get);
      assert.ok(doc.paths['/api/v1/articles/{id}/themes/{themeId}/merge']?.post);
      const schema = JSON.stringify(doc.paths['/api/v1/articles/{id}/insights'].get.responses['200']);
      for (const field of ['voices', 'themes', 'representatives', 'fairness', 'letterIds']) assert.ok(schema.includes(field), field);
      assert.ok(JSON.stringify(doc.paths['/api/v1/letters/{id}'].get.responses['200']).includes('stanceConfidence'));
    });
  });
});
