// Lines of argument: an article's letters grouped into themes.
//
// 1. Each letter is read into terms and phrases; a campaign is one voice
//    (its letters' mean vector), so 200 copies of a form letter weigh like
//    one letter when the themes are shaped, yet every copy is assigned.
// 2. Letters in another language than most of the article's letters do not
//    shape themes (their words meet nobody's); they are placed afterwards,
//    like every letter outside the shaping sample, by the names and numbers
//    they share with a theme.
// 3. TF-IDF over the shaping voices, LSA to a few dimensions, spherical
//    k-means; the number of themes (2..7) is the one with the best
//    silhouette. Letters an editor filed are fixed members of their named
//    theme (seeded k-means); once two or more themes are taught the model
//    sorts the rest into them and invents no more (TAUGHT_THEMES_THAT_CLOSE).
// 4. Each theme gets a label from its distinctive phrases, 2–3
//    representative letters and their best sentence, and keeps the id and
//    name of the previous theme it continues.

import { hash32 } from '../matching/text.ts';
import { kmeans, silhouette } from './cluster.ts';
import { carryOver, nameKey, type Draft } from './continuity.ts';
import { buildWeighting, dot, EMPTY_VEC, fromMap, meanVec, readLetter, vectorise, type ReadLetter, type SparseVec, type Weighting } from './features.ts';
import { distinctivePhrases, labelOf } from './labels.ts';
import { lsa } from './lsa.ts';
import { representatives, type Candidate } from './representatives.ts';
import type { SurfaceCounts } from './text.ts';
import type { ArticleText, LetterText, Taught, Theme, ThemeSet } from './types.ts';

export interface GroupOptions {
  /** At most this many themes (taught ones included when there are fewer). Default 7. */
  maxThemes?: number;
  /** Fewer voices than this: "too few letters to group". Default 8. */
  minVoices?: number;
  /** Voices that shape the themes at most; the rest are assigned to them. Default 1,500. */
  sampleSize?: number;
  seed?: number;
  /** May the model add themes beside two or more taught ones? Default false (see TAUGHT_THEMES_THAT_CLOSE). */
  extraThemes?: boolean;
}

export interface GroupInput {
  article: ArticleText;
  letters: LetterText[];
  taught?: Taught | null;
  previous?: ThemeSet | null;
  options?: GroupOptions;
}

const DEFAULTS = { maxThemes: 7, minVoices: 8, sampleSize: 1500, seed: 1, extraThemes: false };
// Cosine to a theme's centroid below which a letter is left unassigned:
// it shares (almost) nothing with any theme.
const MIN_SCORE = 0.02;
// Terms kept per centroid: enough for assignment, small enough to store.
const CENTROID_TERMS = 300;
// Silhouette below this means the letters hold no separable lines: one theme.
const MIN_SILHOUETTE = 0.02;
// Once editors have filed letters under two or more themes, their themes
// are the lines of argument: the model sorts letters into them and does not
// invent more (measured: adding model themes beside taught ones split taught
// lines, 0.80 -> 0.76 and 0.38 -> 0.30 of letters under the right theme).
// With one taught theme or none, the model proposes the others.
const TAUGHT_THEMES_THAT_CLOSE = 2;

interface Unit {
  letters: number[];
  foreign: boolean;
  /** Index into the taught theme names, or -1. */
  fixed: number;
  vec: SparseVec;
}

export function groupThemes(input: GroupInput): ThemeSet {
  return groupAndRead(input).set;
}

/** The grouping and the letters as read for it (analyseArticle reuses their sentences for stance). */
export function groupAndRead(input: GroupInput): { set: ThemeSet; letters: LetterText[]; read: ReadLetter[] } {
  const opts = { ...DEFAULTS, ...(input.options ?? {}) };
  const articleId = input.article?.id ?? '';
  // One entry per letter id (a caller sending a letter twice must not count it twice).
  const seenIds = new Set<string>();
  const letters = (input.letters ?? []).filter((l) => l && typeof l.id === 'string' && !seenIds.has(l.id) && seenIds.add(l.id));
  const surface: SurfaceCounts = new Map();
  const read = letters.map((l) => readLetter(typeof l.body === 'string' ? l.body : '', surface));

  // Editors' filings: theme names in a stable order.
  const taughtThemes = input.taught?.themes ?? {};
  const taughtNames: string[] = [];
  const taughtIndex = new Map<string, number>();
  const letterTaught = letters.map((l) => {
    const name = taughtThemes[l.id];
    if (typeof name !== 'string' || !name.trim()) return -1;
    const key = nameKey(name);
    let i = taughtIndex.get(key);
    if (i === undefined) {
      taughtIndex.set(key, (i = taughtNames.length));
      taughtNames.push(name.trim());
    }
    return i;
  });

  // Languages: the article's main language is the commonest among its letters.
  const langs = read.map((r) => (r.length >= 8 ? r.lang : 'und'));
  const langCount = new Map<string, number>();
  for (const g of langs) if (g !== 'und') langCount.set(g, (langCount.get(g) ?? 0) + 1);
  const main = [...langCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'und';

  // Voices: a campaign is one unit.
  const units: Unit[] = [];
  const campaignUnit = new Map<string, number>();
  letters.forEach((l, i) => {
    const c = typeof l.campaignId === 'string' && l.campaignId ? l.campaignId : null;
    if (c !== null && campaignUnit.has(c)) {
      units[campaignUnit.get(c)!]!.letters.push(i);
      return;
    }
    if (c !== null) campaignUnit.set(c, units.length);
    units.push({ letters: [i], foreign: langs[i] !== 'und' && langs[i] !== main, fixed: -1, vec: EMPTY_VEC });
  });
  for (const u of units) {
    const votes = new Map<number, number>();
    for (const i of u.letters) if (letterTaught[i]! >= 0) votes.set(letterTaught[i]!, (votes.get(letterTaught[i]!) ?? 0) + 1);
    if (votes.size) u.fixed = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  }

  // The voices that shape themes: taught ones always, then a stable sample.
  const candidates = units.map((_, i) => i).filter((i) => units[i]!.fixed >= 0 || (!units[i]!.foreign && read[units[i]!.letters[0]!]!.counts.size > 0));
  let shaping = candidates;
  if (candidates.length > opts.sampleSize) {
    const taughtUnits = candidates.filter((i) => units[i]!.fixed >= 0);
    const rest = candidates
      .filter((i) => units[i]!.fixed < 0)
      .sort((a, b) => hash32(letters[units[a]!.letters[0]!]!.id) - hash32(letters[units[b]!.letters[0]!]!.id));
    shaping = [...taughtUnits, ...rest.slice(0, Math.max(0, opts.sampleSize - taughtUnits.length))].sort((a, b) => a - b);
  }

  const wt = buildWeighting(shaping.map((i) => read[units[i]!.letters[0]!]!.counts.keys()));
  const vecs: SparseVec[] = read.map((r) => vectorise(r.counts, wt));
  for (const u of units) u.vec = u.letters.length === 1 ? vecs[u.letters[0]!]! : meanVec(u.letters.map((i) => vecs[i]!));
  shaping = shaping.filter((i) => units[i]!.vec.ids.length > 0 || units[i]!.fixed >= 0);

  const voices = units.length;
  const base = {
    version: 1 as const,
    articleId,
    letters: letters.length,
    voices,
    nextThemeNumber: Math.max(1, input.previous?.nextThemeNumber ?? 1),
    model: { idf: {}, unseenIdf: wt.unseenIdf, phraseWeight: wt.phraseWeight, minScore: MIN_SCORE },
  };
  const done = (set: ThemeSet) => ({ set, letters, read });
  if (!letters.length) return done({ ...base, status: 'no-letters', message: 'No letters yet.', themes: [], unassigned: [] });
  if (!taughtNames.length && shaping.length < opts.minVoices) {
    return done({
      ...base,
      status: 'too-few-letters',
      message: `Too few letters to group: ${shaping.length} ${shaping.length === 1 ? 'voice has' : 'voices have'} words to compare, ${opts.minVoices} needed.`,
      themes: [],
      unassigned: letters.map((l) => l.id),
    });
  }

  // Cluster the shaping voices.
  const clusterOf = new Map<number, number>();
  let k = clusterShaping(shaping, units, taughtNames.length, wt, opts, clusterOf);

  // Term-space centroids of the clusters (what new letters are compared with).
  let centroids = centroidsOf(k, shaping, units, clusterOf);
  // Every other voice goes to the nearest centroid; taught voices to their theme.
  const unassignedUnits: number[] = [];
  units.forEach((u, i) => {
    if (clusterOf.has(i)) return;
    if (u.fixed >= 0) {
      clusterOf.set(i, u.fixed);
      return;
    }
    const { best, score } = nearest(u.vec, centroids);
    if (best >= 0 && score >= MIN_SCORE) clusterOf.set(i, best);
    else unassignedUnits.push(i);
  });
  // Taught voices outside the shaping sample pull their theme's centroid too.
  const shapingSet = new Set(shaping);
  if (units.some((u, i) => u.fixed >= 0 && !shapingSet.has(i))) {
    centroids = centroidsOf(k, [...clusterOf.keys()].filter((i) => shapingSet.has(i) || units[i]!.fixed >= 0), units, clusterOf);
  }

  // Drafts, dropping empty clusters.
  const members: number[][] = Array.from({ length: k }, () => []);
  for (const [u, c] of clusterOf) members[c]!.push(u);
  const keep = members.map((m, c) => ({ m, c })).filter((x) => x.m.length > 0);
  k = keep.length;
  const names = termNames(wt);
  const drafts: Draft[] = keep.map(({ m, c }) => {
    const cen = new Map<string, number>();
    const v = centroids[c]!;
    for (let j = 0; j < v.ids.length; j++) cen.set(names[v.ids[j]!]!, v.w[j]!);
    return {
      letterIds: m.flatMap((u) => units[u]!.letters.map((i) => letters[i]!.id)),
      centroid: cen,
      taughtName: c < taughtNames.length ? taughtNames[c]! : null,
    };
  });
  const { carried, nextNumber } = carryOver(drafts, input.previous, base.nextThemeNumber);

  // Labels from each theme's voices (at most 400 per theme: plenty to rank phrases).
  const phraseLists = distinctivePhrases({
    themes: keep.map(({ m }) => sampleStable(m, 400, (u) => letters[units[u]!.letters[0]!]!.id).map((u) => read[units[u]!.letters[0]!]!.counts)),
    surface,
  });

  const themes: Theme[] = keep.map(({ m, c }, t) => {
    const letterIds = drafts[t]!.letterIds;
    const taughtLetterIds = letterIds.filter((id) => typeof taughtThemes[id] === 'string' && nameKey(taughtThemes[id]!) === nameKey(drafts[t]!.taughtName ?? '\u0000'));
    const cands: Candidate[] = m.map((u) => {
      const i = units[u]!.letters[0]!;
      return { letterId: letters[i]!.id, vec: vecs[i]!, read: read[i]! };
    });
    const reps = representatives(cands, centroids[c]!, wt, m.length >= 6 ? 3 : Math.min(2, m.length));
    const name = carried[t]!.name;
    const centroid = drafts[t]!.centroid;
    return {
      id: carried[t]!.id,
      name,
      label: name ?? labelOf(phraseLists[t]!),
      phrases: phraseLists[t]!,
      letterIds,
      taughtLetterIds,
      letters: letterIds.length,
      voices: m.length,
      representatives: reps,
      centroid: { terms: [...centroid.keys()], weights: [...centroid.values()].map((w) => Math.round(w * 1e5) / 1e5) },
    };
  });
  themes.sort((a, b) => b.voices - a.voices || b.letters - a.letters || (a.id < b.id ? -1 : 1));

  // IDF of the terms the centroids use: all `assignToTheme` needs.
  const idf: Record<string, number> = {};
  for (const t of themes) for (const term of t.centroid.terms) idf[term] = Math.round(wt.terms.get(term)![1] * 1e4) / 1e4;
  const unassigned = unassignedUnits.flatMap((u) => units[u]!.letters.map((i) => letters[i]!.id));
  return done({
    ...base,
    status: 'grouped',
    message: themes.length === 1 ? 'The letters hold one line of argument.' : `${themes.length} lines of argument.`,
    themes,
    unassigned,
    nextThemeNumber: nextNumber,
    model: { ...base.model, idf },
  });
}

/** Clusters the shaping units into `clusterOf` (unit -> cluster); returns the number of clusters. */
function clusterShaping(shaping: number[], units: Unit[], taughtK: number, wt: Weighting, opts: typeof DEFAULTS, clusterOf: Map<number, number>): number {
  const n = shaping.length;
  const rows = shaping.map((i) => units[i]!.vec);
  const weights = Float64Array.from(shaping, () => 1);
  const e = lsa(rows, wt.terms.size, Math.max(4, Math.min(24, Math.round(Math.sqrt(n)))), opts.seed);
  const fixed = Int32Array.from(shaping, (i) => units[i]!.fixed);
  const closed = taughtK >= TAUGHT_THEMES_THAT_CLOSE && !opts.extraThemes;
  const maxK = closed ? taughtK : Math.max(taughtK, Math.min(opts.maxThemes, Math.floor(n / 4)));
  const restarts = n > 300 ? 2 : 4;
  let best: { k: number; assign: Int32Array; sil: number } | null = null;
  const minK = taughtK > 0 ? taughtK : 2;
  for (let k = minK; k <= maxK; k++) {
    if (k < 2) {
      // One taught theme and nothing else to compare: everything is that theme, or a second line.
      best = { k: 1, assign: new Int32Array(n), sil: 0 };
      continue;
    }
    const km = kmeans(e, { k, weights, fixed: taughtK ? fixed : undefined, restarts, seed: opts.seed });
    const sil = silhouette(e, km.assign, k, weights);
    if (!best || sil > best.sil + 1e-9) best = { k, assign: km.assign, sil };
  }
  if (!best || (taughtK === 0 && best.sil < MIN_SILHOUETTE)) best = { k: Math.max(1, taughtK), assign: Int32Array.from(fixed, (f) => Math.max(0, f)), sil: 0 };
  shaping.forEach((u, j) => clusterOf.set(u, best!.assign[j]!));
  return best.k;
}

function centroidsOf(k: number, unitIds: Iterable<number>, units: Unit[], clusterOf: Map<number, number>): SparseVec[] {
  const acc: Map<number, number>[] = Array.from({ length: k }, () => new Map());
  for (const u of unitIds) {
    const c = clusterOf.get(u);
    if (c === undefined) continue;
    const v = units[u]!.vec;
    const a = acc[c]!;
    for (let j = 0; j < v.ids.length; j++) a.set(v.ids[j]!, (a.get(v.ids[j]!) ?? 0) + v.w[j]!);
  }
  return acc.map((a) => fromMap(a, CENTROID_TERMS));
}

function nearest(v: SparseVec, centroids: SparseVec[]): { best: number; score: number } {
  let best = -1;
  let score = 0;
  centroids.forEach((c, j) => {
    const s = dot(v, c);
    if (s > score) (score = s), (best = j);
  });
  return { best, score };
}

const namesCache = new WeakMap<Weighting, string[]>();
function termNames(wt: Weighting): string[] {
  let names = namesCache.get(wt);
  if (!names) {
    names = [];
    for (const [k, [id]] of wt.terms) names[id] = k;
    namesCache.set(wt, names);
  }
  return names;
}

/** At most `max` items, chosen by a hash of their key (the same letters every time). */
function sampleStable<T>(items: T[], max: number, key: (t: T) => string): T[] {
  if (items.length <= max) return items;
  return [...items].sort((a, b) => hash32(key(a)) - hash32(key(b))).slice(0, max);
}

export type { ReadLetter };
