// The analysis workers (piscina worker threads, see analysis-pool.ts): group
// an article's letters into lines of argument and read their stances, and
// place newly arrived letters; pure functions over the data they are sent.
import { analyseArticle, placeLetters, StanceModel, type AnalyseInput, type ArticleInsights, type Placement, type StanceModelJSON, type ThemeSet } from '../insights/index.ts';
import fs from 'node:fs';
import os from 'node:os';
import { workerData } from 'node:worker_threads';
import type { PlaceBatch, PlaceAnswer } from './analysis-pool.ts';

// This thread's CPU priority, as its pool asks (analysis-pool.ts). Linux
// gives each thread its own; elsewhere, or without the right, it stays as it is.
const nice = (workerData as { nice?: number } | null)?.nice ?? 0;
if (nice) {
  try {
    os.setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {
    // Not Linux, or not allowed: the grouping runs at the process's priority.
  }
}

export default function analyse(input: AnalyseInput): ArticleInsights {
  return analyseArticle(input);
}

// Articles' states as last sent, by article and stamp: a ThemeSet is tens of
// kilobytes, and a burst places a few letters per article many times a
// second. Kept as the same objects, so that what the engine prepares from
// them is kept too.
const MAX_STATES = 200;
const states = new Map<string, { themes: ThemeSet | null; model: StanceModel | null }>();

/** Places each article's letters; answers which states it lacks instead when it does not hold one (a new stamp, or a worker started since). */
export function place(batch: PlaceBatch): PlaceAnswer {
  for (const a of batch) {
    if (a.state) states.set(a.key, { themes: a.state.themes, model: a.state.stanceModel ? StanceModel.fromJSON(a.state.stanceModel as StanceModelJSON) : null });
  }
  const missing = batch.filter((a) => !states.has(a.key)).map((a) => a.key);
  if (missing.length) return { missing };
  const placements: Placement[] = [];
  for (const a of batch) {
    const s = states.get(a.key)!;
    placements.push(...placeLetters({ article: a.article, themes: s.themes, stanceModel: s.model, letters: a.letters }));
    // Last used last: the states evicted are the ones longest unused, never this batch's.
    states.delete(a.key);
    states.set(a.key, s);
  }
  while (states.size > MAX_STATES) states.delete(states.keys().next().value!);
  return { placements };
}
