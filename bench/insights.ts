// Insights benchmarks: grouping an article with 10,000 letters, assigning
// one arriving letter to its themes, and a weekly-report-style pass
// (themes + stances + voices) over 100,000 letters across 500 articles.
// Synthetic letters are recombined from the labelled corpus's sentences,
// theme by theme, so vocabulary and structure are those of real letters;
// generating them is not timed. INSIGHTS_BENCH_SCALE (default 1) scales
// the sizes down for a quick look.

import { analyseArticle, assignToTheme, estimateStance, groupThemes, prepareArticle, type LetterText, type ThemeSet } from '../src/insights/index.ts';
import { sentences } from '../src/insights/text.ts';
import { loadInsightArticles, loadInsightLetters } from '../test/insights/corpus.ts';
import { rng } from '../test/support/random.ts';
import { benchInsightsWired } from './insights-wired.ts';

export interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const SCALE = Number(process.env.INSIGHTS_BENCH_SCALE ?? 1);

/** Sentence pools per labelled theme, per article of the corpus. */
function pools(): { articleId: string; themes: string[][] }[] {
  const out: { articleId: string; themes: string[][] }[] = [];
  for (const [articleId, letters] of loadInsightLetters()) {
    const byTheme = new Map<string, string[]>();
    for (const l of letters) {
      let p = byTheme.get(l.theme);
      if (!p) byTheme.set(l.theme, (p = []));
      p.push(...sentences(l.body).filter((s) => s.split(' ').length >= 4));
    }
    out.push({ articleId, themes: [...byTheme.values()] });
  }
  return out;
}

/** A letter of `n` sentences, most from one theme's pool, some from another (letters touch two lines). */
function synthLetter(r: () => number, themes: string[][], id: string): LetterText {
  const t = Math.floor(r() * themes.length);
  const n = 2 + Math.floor(r() * 6);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const pool = r() < 0.8 ? themes[t]! : themes[Math.floor(r() * themes.length)]!;
    parts.push(pool[Math.floor(r() * pool.length)]!);
  }
  // One letter in ten belongs to a campaign (near-identical copies).
  const campaignId = r() < 0.1 ? `camp-${t}` : null;
  return { id, body: parts.join(' '), campaignId };
}

export async function benchInsights(): Promise<Row[]> {
  const rows: Row[] = [];
  const articles = loadInsightArticles();
  const src = pools();
  const r = rng(12);

  // 1. One article with 10,000 letters.
  const n = Math.round(10_000 * SCALE);
  const { articleId, themes } = src.find((p) => p.articleId === 'seed-isi-taliban')!;
  const article = articles.get(articleId)!;
  const letters = Array.from({ length: n }, (_, i) => synthLetter(r, themes, `L${i}`));
  groupThemes({ article, letters: letters.slice(0, 500) }); // warm the JIT
  const t0 = performance.now();
  const set = groupThemes({ article, letters });
  const groupMs = performance.now() - t0;
  rows.push({ name: `group ${n.toLocaleString('en')} letters on one article`, value: Math.round(groupMs), unit: 'ms', note: `aim <= 2,000 ms; ${set.themes.length} themes` });

  // Re-grouping with the previous set (ids carried over).
  const t1 = performance.now();
  groupThemes({ article, letters, previous: set });
  rows.push({ name: `re-group ${n.toLocaleString('en')} letters with the previous set`, value: Math.round(performance.now() - t1), unit: 'ms' });

  // 2. Assigning arriving letters against that set.
  const arriving = Array.from({ length: 1000 }, (_, i) => synthLetter(r, themes, `new${i}`));
  const tFirst = performance.now();
  assignToTheme(set, arriving[0]!);
  const firstMs = performance.now() - tFirst;
  const times: number[] = [];
  for (const l of arriving.slice(1)) {
    const s = performance.now();
    assignToTheme(set, l);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  rows.push({ name: 'assign one arriving letter (mean)', value: Math.round(mean * 1000) / 1000, unit: 'ms', note: `aim <= 20 ms; p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(3)} ms; first call on a fresh set ${firstMs.toFixed(2)} ms` });
  // A caller that reloads the set from the database for every letter pays the JSON parse too.
  const json = JSON.stringify(set);
  const tJson = performance.now();
  for (const l of arriving.slice(0, 50)) assignToTheme(JSON.parse(json), l);
  rows.push({ name: 'assign one letter, set parsed from JSON each time', value: Math.round(((performance.now() - tJson) / 50) * 1000) / 1000, unit: 'ms', note: `set is ${(json.length / 1024).toFixed(0)} KiB as JSON` });

  // 3. Weekly report: 100,000 letters over 500 articles (200 each), themes and stances.
  const perArticle = 200;
  const count = Math.max(1, Math.round(500 * SCALE));
  const batches = Array.from({ length: count }, (_, a) => {
    const p = src[a % src.length]!;
    return { article: { ...articles.get(p.articleId)!, id: `w${a}` }, letters: Array.from({ length: perArticle }, (_, i) => synthLetter(r, p.themes, `w${a}-${i}`)) };
  });
  const t2 = performance.now();
  let themesTotal = 0;
  for (const b of batches) themesTotal += analyseArticle(b).themes.themes.length;
  const weeklyMs = performance.now() - t2;
  rows.push({
    name: `weekly pass: ${(count * perArticle).toLocaleString('en')} letters, ${count} articles`,
    value: Math.round(weeklyMs),
    unit: 'ms',
    note: `aim <= 10,000 ms; themes + stance per letter; ${themesTotal} themes`,
  });
  // The same week from stored theme sets (grouped earlier, not timed): every
  // letter assigned and its stance estimated, totals per article and theme.
  const stored: ThemeSet[] = batches.map((b) => groupThemes({ article: b.article, letters: b.letters.slice(0, 150) }));
  const t3 = performance.now();
  const totals = new Map<string, number>();
  batches.forEach((b, a) => {
    const art = prepareArticle(b.article);
    for (const l of b.letters) {
      const theme = assignToTheme(stored[a]!, l).themeId ?? 'none';
      const stance = estimateStance(art, l).stance;
      const key = `${b.article.id}|${theme}|${stance}`;
      totals.set(key, (totals.get(key) ?? 0) + 1);
    }
  });
  rows.push({
    name: `weekly pass on stored theme sets: ${(count * perArticle).toLocaleString('en')} letters`,
    value: Math.round(performance.now() - t3),
    unit: 'ms',
    note: 'assign + stance per letter, totals per article, theme and stance',
  });
  // 4. The same, wired: through the database, the job, the route and the processor.
  rows.push(...(await benchInsightsWired(article, (id) => synthLetter(r, themes, id), (a) => (id) => {
    const l = synthLetter(r, src[a % src.length]!.themes, id);
    return { ...l, campaignId: l.campaignId ? `${l.campaignId}-w${a}` : null };
  })));
  const mem = process.memoryUsage();
  rows.push({ name: 'heap after the runs', value: Math.round(mem.heapUsed / 2 ** 20), unit: 'MiB' });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await benchInsights()) console.log(`${row.name}: ${row.value} ${row.unit}${row.note ? ` (${row.note})` : ''}`);
}
