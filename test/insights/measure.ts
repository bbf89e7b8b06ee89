// The figures the quality test prints and asserts, computed on one labelled
// set of letters (the tuning corpus or the held-back set).

import { analyseArticle } from '../../src/insights/analyse.ts';
import { estimateStance } from '../../src/insights/stance.ts';
import { StanceModel } from '../../src/insights/stance-model.ts';
import { groupThemes } from '../../src/insights/themes.ts';
import { tfidfKMeans } from './baseline.ts';
import type { CorpusArticle, CorpusLetter } from './corpus.ts';
import { accuracy, adjustedRand } from './metrics.ts';

export interface ArticleFigures {
  article: string;
  letters: number;
  themesFound: number;
  themesLabelled: number;
  ari: number;
  baselineAri: number;
  stanceAlone: number;
  majorityStance: number;
  taughtThemeAccuracy: number;
  taughtStanceAccuracy: number;
  remaining: number;
}

/** Two letters of each labelled theme, in file order: what an editor files first. */
export function teachTwoPerTheme(letters: CorpusLetter[]): Set<string> {
  const count = new Map<string, number>();
  const out = new Set<string>();
  for (const l of letters) {
    const c = count.get(l.theme) ?? 0;
    if (c < 2) {
      out.add(l.id);
      count.set(l.theme, c + 1);
    }
  }
  return out;
}

export function measureArticle(article: CorpusArticle, letters: CorpusLetter[], opts: { seed?: number; themesOnly?: boolean } = {}): ArticleFigures {
  const input = letters.map((l) => ({ id: l.id, body: l.body, campaignId: l.campaign }));
  const truth = letters.map((l) => l.theme);
  const labelled = new Set(truth).size;

  // On its own.
  const set = groupThemes({ article, letters: input, options: { seed: opts.seed ?? 1 } });
  const themeOf = new Map<string, string>();
  for (const t of set.themes) for (const id of t.letterIds) themeOf.set(id, t.id);
  const ari = adjustedRand(letters.map((l) => themeOf.get(l.id) ?? 'none'), truth);
  if (opts.themesOnly) {
    return { article: article.id, letters: letters.length, themesFound: set.themes.length, themesLabelled: labelled, ari, baselineAri: NaN, stanceAlone: NaN, majorityStance: NaN, taughtThemeAccuracy: NaN, taughtStanceAccuracy: NaN, remaining: 0 };
  }
  const base = tfidfKMeans(letters.map((l) => l.body), labelled);
  const baselineAri = adjustedRand(base.map(String), truth);
  const stanceAlone = accuracy(letters.map((l) => estimateStance(article, l).stance), letters.map((l) => l.stance));
  const majorityStance = Math.max(...['agree', 'disagree', 'mixed'].map((s) => letters.filter((l) => l.stance === s).length)) / letters.length;

  // Taught: two letters per line filed and their stances set; measured on the rest.
  const taughtIds = teachTwoPerTheme(letters);
  const themes: Record<string, string> = {};
  const stances: Record<string, CorpusLetter['stance']> = {};
  const model = new StanceModel();
  for (const l of letters) {
    if (!taughtIds.has(l.id)) continue;
    themes[l.id] = l.theme;
    stances[l.id] = l.stance;
    model.learn(l.body, l.stance);
  }
  const taught = analyseArticle({ article, letters: input, taught: { themes, stances }, stanceModel: model.toJSON() });
  const nameOf = new Map<string, string>();
  for (const t of taught.themes.themes) for (const id of t.letterIds) nameOf.set(id, t.name ?? t.id);
  const rest = letters.filter((l) => !taughtIds.has(l.id));
  return {
    article: article.id,
    letters: letters.length,
    themesFound: set.themes.length,
    themesLabelled: labelled,
    ari,
    baselineAri,
    stanceAlone,
    majorityStance,
    taughtThemeAccuracy: accuracy(rest.map((l) => nameOf.get(l.id) ?? ''), rest.map((l) => l.theme)),
    taughtStanceAccuracy: accuracy(rest.map((l) => taught.stances[l.id]!.stance), rest.map((l) => l.stance)),
    remaining: rest.length,
  };
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function table(rows: ArticleFigures[]): string {
  const f = (x: number) => x.toFixed(2);
  const head = 'article                letters themes(found/labelled)   ARI  baseline  stance-alone (majority)  taught: theme  stance';
  const lines = rows.map(
    (r) =>
      `${r.article.padEnd(22)} ${String(r.letters).padStart(7)} ${`${r.themesFound}/${r.themesLabelled}`.padStart(23)} ${f(r.ari).padStart(5)} ${f(r.baselineAri).padStart(9)} ${f(r.stanceAlone).padStart(13)} (${f(r.majorityStance)}) ${f(r.taughtThemeAccuracy).padStart(14)} ${f(r.taughtStanceAccuracy).padStart(7)}`,
  );
  const m = (k: keyof ArticleFigures) => mean(rows.map((r) => r[k] as number));
  lines.push(`${'mean'.padEnd(22)} ${''.padStart(7)} ${''.padStart(23)} ${f(m('ari')).padStart(5)} ${f(m('baselineAri')).padStart(9)} ${f(m('stanceAlone')).padStart(13)} (${f(m('majorityStance'))}) ${f(m('taughtThemeAccuracy')).padStart(14)} ${f(m('taughtStanceAccuracy')).padStart(7)}`);
  return [head, ...lines].join('\n');
}
