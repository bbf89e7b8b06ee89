// The engine's state for an article as this thread last read it. A letter
// arriving is compared with the article's stored ThemeSet; parsing that set
// (its centroids, tens of kilobytes, and its letter lists) for every letter
// would cost more than the comparison, so each thread keeps the last set it
// read per article, with the stamp it was read at (grouping time and
// teaching revision), and reads it again only when the stamp moved.
import type { Db } from '../db/connect.ts';
import type { Reader } from '../db/executor.ts';
import { readArticleInsightState, readGroupingStamp, type ArticleInsightState, type GroupingStamp } from '../db/repositories/insights.ts';
import { StanceModel, type StanceModelJSON, type Taught, type ThemeSet } from '../insights/index.ts';

export type InsightState = ArticleInsightState<ThemeSet, Taught, StanceModelJSON>;
type Cached = { stamp: string; state: InsightState; model: StanceModel | null };

const MAX_ARTICLES = 200;
const cache = new Map<string, Cached>();

const stampOf = (s: { groupedAt: Date | null; revision: number }) => `${s.groupedAt?.toISOString() ?? '-'}|${s.revision}`;

export async function readState(db: Db, articleId: string, ex: Reader = db.read): Promise<InsightState | null> {
  return readArticleInsightState<ThemeSet, Taught, StanceModelJSON>(db, articleId, ex);
}

/** The article's state and its stance model, from this thread's cache when the stored stamp has not moved. */
export async function cachedState(db: Db, articleId: string, ex: Reader, read?: GroupingStamp | null): Promise<Cached | null> {
  // `read`: the stamp as the caller just read it (undefined: read it here).
  const stamp = read === undefined ? await readGroupingStamp(db, articleId, ex) : read;
  if (!stamp) return null;
  const key = stampOf(stamp);
  const hit = cache.get(articleId);
  if (hit && hit.stamp === key) {
    // The job id and letter count are not part of the stamp: take them fresh.
    hit.state.jobId = stamp.jobId;
    hit.state.groupedLetters = stamp.groupedLetters;
    return hit;
  }
  const state = await readState(db, articleId, ex);
  if (!state) return null;
  const entry: Cached = { stamp: key, state, model: state.stanceModel ? StanceModel.fromJSON(state.stanceModel) : null };
  cache.delete(articleId);
  cache.set(articleId, entry);
  if (cache.size > MAX_ARTICLES) cache.delete(cache.keys().next().value!);
  return entry;
}

/** Forgets what this thread read (its work was rolled back, or a test starts over). */
export function forgetInsightState(articleId?: string): void {
  if (articleId) cache.delete(articleId);
  else cache.clear();
}

/** Theme names compare without case and extra spaces ("Cut the aid" = "cut  the Aid"). */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}
