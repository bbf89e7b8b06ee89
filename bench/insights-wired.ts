// Insights as the desk runs them, on a real SQLite database: an article
// with 10,000 letters grouped by the group_insights job's work (read the
// letters, analyse, store the set and 10,000 letter insights), served by
// GET /api/v1/articles/:id/insights once computed, and one arriving letter
// placed by the placing job's work; and the
// weekly report over 100,000 letters in 500 articles. Each beside a
// reference measured in the same run: the engine alone on the same letters
// in memory, the counts-only figures the first version served, and the
// report's one aggregate query. Letters are written straight into the
// tables (intake is benched elsewhere); generating them is not timed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { openContext } from '../src/bootstrap.ts';
import { allRoutes, buildHttpServer } from '../src/server/http.ts';
import { createApiToken } from '../src/server/auth.ts';
import { createLogger } from '../src/log/logger.ts';
import type { AppContext } from '../src/context.ts';
import { articleInsights, lettersPerArticle, upsertLetterInsights, saveGrouping, ensureArticleInsightState } from '../src/db/repositories/insights.ts';
import { groupArticle } from '../src/insights-store/regroup.ts';
import { placeLetters } from '../src/insights-store/place.ts';
import { weeklyReport } from '../src/insights-store/report.ts';
import { analyseArticle, assignToTheme, estimateStance, groupThemes, prepareArticle, type LetterText } from '../src/insights/index.ts';
import type { Row } from './insights.ts';

const SCALE = Number(process.env.INSIGHTS_BENCH_SCALE ?? 1);
const DAY = 86_400_000;

type Synth = (id: string) => LetterText;

export async function insertLetters(ctx: AppContext, articleId: string, letters: LetterText[], created: (i: number) => Date): Promise<void> {
  const m = ctx.db.dialect;
  await ctx.db.writes.run(async (trx) => {
    for (let i = 0; i < letters.length; i += 400) {
      const chunk = letters.slice(i, i + 400);
      const t0 = m.time(new Date());
      await trx
        .insertInto('writers')
        .values(chunk.map((l) => ({ id: `w-${l.id}`, email: `${l.id}@bench.example`, email_key: `${l.id}@bench.example`, variant_key: `${l.id}@bench.example`, name: 'Reader', town: 'Town', phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: t0, updated_at: t0 })))
        .execute();
      await trx
        .insertInto('letters')
        .values(
          chunk.map((l, j) => {
            const t = m.time(created(i + j));
            return {
              id: l.id, article_id: articleId, writer_id: `w-${l.id}`, status: (i + j) % 10 === 0 ? 'published' : 'new', source: (i + j) % 3 === 0 ? 'email' : 'form', subject: null, name: 'Reader', town: 'Town', body: l.body, original: l.body,
              edited_body: null, headline: null, display_name: null, word_count: l.body.split(' ').length, consent: m.bool(true), exclusive: m.bool(true), article_method: 'form', article_confidence: 1, spam_score: 0.1, spam_reasons: m.json([]),
              campaign_id: l.campaignId ?? null, flags: m.json([]), pow: 'off', dedupe_key: null, message_id: null, confirm_token_hash: null, confirmed_at: null, assigned_to: null, scheduled_at: null, published_at: null, meta: m.json({}), created_at: t, updated_at: t,
            };
          }),
        )
        .execute();
    }
  });
}

export async function saveArticle(ctx: AppContext, a: { id: string; title: string; body: string }): Promise<void> {
  const m = ctx.db.dialect;
  const t = m.time(new Date());
  await ctx.db.writes.run((trx) => trx.insertInto('articles').values({ id: a.id, url: `https://bench.example/${a.id}`, url_key: `bench.example/${a.id}`, title: a.title, author: null, published_at: null, section: null, body: a.body, created_at: t, updated_at: t }).execute());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchInsightsWired(article: { id: string; title: string; body: string }, synth: Synth, synthFor: (a: number) => Synth): Promise<Row[]> {
  const rows: Row[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-bench-insights-'));
  const ctx = await openContext(loadConfig({ LETTERDESK_DATA: dataDir, LETTERDESK_POW: 'off', LETTERDESK_RATE_LIMIT: 'off' }), { log: createLogger('silent') });
  try {
    // 1. One article with 10,000 letters.
    const n = Math.round(10_000 * SCALE);
    const big = { ...article, id: 'bench-big' };
    await saveArticle(ctx, big);
    const letters = Array.from({ length: n }, (_, i) => synth(`b${String(i).padStart(6, '0')}`));
    const now = Date.now();
    await insertLetters(ctx, big.id, letters, (i) => new Date(now - 5 * DAY + i * ((5 * DAY) / n)));
    await ctx.db.writes.run((trx) => ensureArticleInsightState(ctx.db, trx, big.id));

    const tRef = performance.now();
    analyseArticle({ article: big, letters });
    const refMs = performance.now() - tRef;
    const t0 = performance.now();
    const out = await groupArticle(ctx, big.id);
    const groupMs = performance.now() - t0;
    rows.push({ name: `wired: compute insights for ${n.toLocaleString('en')} letters (job's work, SQLite)`, value: Math.round(groupMs), unit: 'ms', note: `aim <= 2,000 ms; reference, the engine alone in memory on the same letters: ${Math.round(refMs)} ms; ${out?.themes} themes` });

    const app = await buildHttpServer(ctx, allRoutes(ctx));
    await app.ready();
    const { token } = await createApiToken(ctx, 'viewer', 'bench');
    const get = async (url: string) => {
      const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode}`);
      return r.body.length;
    };
    for (let i = 0; i < 3; i++) await get(`/api/v1/articles/${big.id}/insights`);
    const serve: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      bytes = await get(`/api/v1/articles/${big.id}/insights`);
      serve.push(performance.now() - s);
    }
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await articleInsights(ctx.db, big.id);
      counts.push(performance.now() - s);
    }
    rows.push({
      name: `wired: serve insights of ${n.toLocaleString('en')} letters once computed (GET, inject, median of 20)`,
      value: Number(median(serve).toFixed(1)),
      unit: 'ms',
      note: `aim <= 50 ms; ${(bytes / 1024).toFixed(0)} KiB answer (every theme's letterIds); reference, the counts-only figures of the first version: ${median(counts).toFixed(1)} ms`,
    });

    // One arriving letter: insert it, then the placing job's work (the text work in the analysis worker, then its own transaction).
    const arriving = Array.from({ length: 101 }, (_, i) => synth(`new${String(i).padStart(4, '0')}`));
    await insertLetters(ctx, big.id, arriving, () => new Date());
    const place: number[] = [];
    for (const l of arriving) {
      const s = performance.now();
      await placeLetters(ctx, [l.id]);
      place.push(performance.now() - s);
    }
    const firstPlace = place.shift()!;
    const set = groupThemes({ article: big, letters: letters.slice(0, 2000) });
    const prepared = prepareArticle(big);
    const engine: number[] = [];
    for (const l of arriving) {
      const s = performance.now();
      assignToTheme(set, l);
      estimateStance(prepared, l);
      engine.push(performance.now() - s);
    }
    rows.push({
      name: 'wired: one arriving letter placed (theme + stance in the analysis worker, stored in its own transaction, median of 100)',
      value: Number(median(place).toFixed(2)),
      unit: 'ms',
      note: `aim <= 20 ms; first letter after a grouping (reads the set) ${firstPlace.toFixed(1)} ms; reference, the engine alone: ${median(engine).toFixed(2)} ms`,
    });
    await app.close();

    // 2. The weekly report over 100,000 letters in 500 articles (200 each) with stored insights.
    const count = Math.max(1, Math.round(500 * SCALE));
    const per = 200;
    const from = new Date(new Date(now).toISOString().slice(0, 10) + 'T00:00:00Z');
    const weekFrom = new Date(from.getTime() - 6 * DAY);
    for (let a = 0; a < count; a++) {
      const art = { ...article, id: `wk${a}`, title: `${article.title} (${a})` };
      await saveArticle(ctx, art);
      const s = synthFor(a);
      const ls = Array.from({ length: per }, (_, i) => s(`wk${a}-${i}`));
      await insertLetters(ctx, art.id, ls, (i) => new Date(weekFrom.getTime() + ((i * 6 + a) % 6) * DAY + 3600_000));
      // Stored insights as the background leaves them (grouped on a sample; not timed).
      const g = groupThemes({ article: art, letters: ls.slice(0, 40) });
      const prep = prepareArticle(art);
      await ctx.db.writes.run(async (trx) => {
        await ensureArticleInsightState(ctx.db, trx, art.id);
        await saveGrouping(ctx.db, trx, art.id, { themes: g, revision: 0, letters: per });
        await upsertLetterInsights(
          ctx.db,
          trx,
          ls.map((l) => {
            const e = estimateStance(prep, l);
            return { letterId: l.id, articleId: art.id, themeId: assignToTheme(g, l).themeId, themeName: null, stance: e.stance, stanceConfidence: e.confidence, themeSource: 'model', stanceSource: 'model' };
          }),
        );
      });
    }
    const total = count * per + n + arriving.length;
    const tw = performance.now();
    const report = await weeklyReport(ctx.db, weekFrom);
    const weeklyMs = performance.now() - tw;
    const tq = performance.now();
    await lettersPerArticle(ctx.db, weekFrom, new Date(weekFrom.getTime() + 7 * DAY));
    const aggMs = performance.now() - tq;
    rows.push({
      name: `wired: weekly report over ${report.letters.toLocaleString('en')} letters in ${count + 1} articles (SQLite)`,
      value: Math.round(weeklyMs),
      unit: 'ms',
      note: `aim <= 10,000 ms; ${total.toLocaleString('en')} letters stored; reference, its one aggregate query (letters per article): ${Math.round(aggMs)} ms`,
    });
    return rows;
  } finally {
    await ctx.db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
