// The insights' text work runs in worker threads, not on the thread that
// asked: groupings and placements are asked for by jobs in the writer
// thread, whose event loop must stay free to commit incoming letters (a
// grouping of 3,000 letters there held every letter's acknowledgement for
// over a second; placing each arriving letter there, about half a
// millisecond each, was a fifth of its time under a burst of 500 a second),
// and an editor's "group now" runs on the thread that answers HTTP.
// Two workers, one thread each: grouping an article (analyseArticle) takes
// seconds for thousands of letters, and placements queued behind it held the
// job runner's places meanwhile, so acknowledgements waited. Background work
// should leave the other core to requests and commits. Piscina unrefs an idle
// worker and ends it after 30 s: it never holds the process.
import { Piscina } from 'piscina';
import type { AnalyseInput, ArticleInsights, ArticleText, LetterText, Placement, StanceModelJSON, ThemeSet } from '../insights/index.ts';
import { StanceModel } from '../insights/index.ts';

const WORKER = new URL('./analysis-worker.ts', import.meta.url);
const pools: { grouping: Piscina | null; placing: Piscina | null } = { grouping: null, placing: null };

function worker(which: keyof typeof pools): Piscina {
  // Groupings run at a lower CPU priority: on two cores a grouping of thousands
  // of letters took a core for seconds, and the placements and
  // acknowledgements of a burst fell thousands of jobs behind meanwhile.
  return (pools[which] ??= new Piscina({ filename: WORKER.href, minThreads: 0, maxThreads: 1, idleTimeout: 30_000, atomics: 'disabled', workerData: { nice: which === 'grouping' ? 10 : 0 } }));
}

/** `analyseArticle` in the grouping worker; the input crosses as plain data (the stance model as JSON). */
export function analyseInWorker(input: AnalyseInput): Promise<ArticleInsights> {
  const stanceModel = input.stanceModel instanceof StanceModel ? input.stanceModel.toJSON() : input.stanceModel;
  return worker('grouping').run({ ...input, stanceModel });
}

/** An article's state as the placing worker keeps it. */
export type PlaceState = { themes: ThemeSet | null; stanceModel: StanceModelJSON | null };
/** Letters of one article to place; `key` names the article's state (article and stamp), sent along only when the worker lacks it. */
export type PlaceBatch = { key: string; article: ArticleText; letters: LetterText[]; state?: PlaceState }[];
export type PlaceAnswer = { placements: Placement[] } | { missing: string[] };

/** `placeLetters` for several articles in the placing worker, which keeps the articles' states it was sent. */
export async function placeInWorker(articles: (Omit<PlaceBatch[number], 'state'> & { state: () => PlaceState })[]): Promise<Placement[]> {
  const batch: PlaceBatch = articles.map(({ key, article, letters }) => ({ key, article, letters }));
  const first = (await worker('placing').run(batch, { name: 'place' })) as PlaceAnswer;
  if ('placements' in first) return first.placements;
  const missing = new Set(first.missing);
  const again = (await worker('placing').run(
    batch.map((a, i) => (missing.has(a.key) ? { ...a, state: articles[i]!.state() } : a)),
    { name: 'place' },
  )) as PlaceAnswer;
  if ('placements' in again) return again.placements;
  throw new Error(`the placing worker did not keep the states of ${again.missing.join(', ')}`);
}
