// Re-grouping an article's letters into lines of argument: the whole
// analysis (themes, every letter's stance) over the article's letters,
// passing the stored set as `previous` so themes keep their ids and names,
// and what editors taught. It runs as a job (`group_insights`) when the
// article's letters grew by a fifth since the last grouping or an editor
// taught something, or at once when an editor asks. The analysis runs
// outside any transaction, in a worker thread (seconds for 10,000 letters:
// analysis-pool.ts); its result is stored only if no teaching came in
// meanwhile, else it runs again.
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { Trx } from '../db/executor.ts';
import { findArticleById } from '../db/repositories/articles.ts';
import { bringJobForward, enqueueJob } from '../db/repositories/jobs.ts';
import {
  ensureArticleInsightState,
  lettersForInsights,
  lockArticleInsightState,
  readGroupingStamp,
  saveGrouping,
  setGroupingJob,
  upsertLetterInsights,
  type LetterInsight,
} from '../db/repositories/insights.ts';
import { StanceModel } from '../insights/index.ts';
import { analyseInWorker } from './analysis-pool.ts';
import { forgetInsightState, nameKey, readState } from './state.ts';

export const GROUP_JOB = 'group_insights';
/** Letters grown by this factor since the last grouping: group again. */
export const REGROUP_GROWTH = 1.2;

/** Whether an article with `letters` letters is due a grouping, given when it was last grouped. */
export function dueForGrouping(letters: number, stamp: { groupedLetters: number; revision: number; groupedRevision?: number }): boolean {
  if (letters === 0) return false;
  if (stamp.groupedLetters === 0) return true;
  return letters >= Math.ceil(stamp.groupedLetters * REGROUP_GROWTH) && letters > stamp.groupedLetters;
}

/**
 * Automatic groupings of an article keep this many times the last one's
 * duration apart: under a burst of letters an article grows by a fifth every
 * few seconds, and grouping it each time kept a core busy (and the job
 * runner's places, so acknowledgements waited). A grouping taking a second
 * then waits 20 s after the last; one taking 20 ms, under half a second.
 */
export const REGROUP_SPACING = 20;
/** How long each article's last grouping took on this node, in ms (the job and the rounds that ask for it run in the same thread). */
const lastTook = new Map<string, number>();

/** When an automatic grouping may run: REGROUP_SPACING times the last one's duration after it, or now. */
export function groupingRunsAt(groupedAt: Date | null, tookMs: number | undefined, now: Date): Date {
  if (!groupedAt || !tookMs) return now;
  return new Date(Math.max(now.getTime(), groupedAt.getTime() + REGROUP_SPACING * tookMs));
}

/**
 * Queues the article's grouping unless one is queued already (in the
 * caller's transaction): `spaced`, because its letters grew (see
 * REGROUP_SPACING); `now`, because an editor taught something, which also
 * brings a spaced grouping already queued forward.
 */
export async function requestGrouping(db: Db, trx: Trx, articleId: string, when: 'spaced' | 'now'): Promise<void> {
  await ensureArticleInsightState(db, trx, articleId);
  const stamp = await readGroupingStamp(db, articleId, trx);
  const now = new Date();
  if (stamp?.jobId) {
    if (when === 'now') await bringJobForward(db, trx, stamp.jobId, now);
    return;
  }
  const runAt = when === 'now' ? now : groupingRunsAt(stamp?.groupedAt ?? null, lastTook.get(articleId), now);
  const jobId = await enqueueJob(db, trx, GROUP_JOB, { articleId }, runAt);
  await setGroupingJob(trx, articleId, jobId);
}

export type GroupingOutcome = { letters: number; themes: number; status: string };

/** Groups the article now and stores the result; `fromJob` clears the queued job's mark. */
export async function groupArticle(ctx: AppContext, articleId: string, opts: { fromJob?: boolean } = {}): Promise<GroupingOutcome | null> {
  const { db } = ctx;
  const article = await findArticleById(db, articleId);
  if (!article) {
    if (opts.fromJob) await db.writes.run((trx) => setGroupingJob(trx, articleId, null));
    return null;
  }
  for (let attempt = 0; ; attempt++) {
    const state = await readState(db, articleId);
    const letters = await lettersForInsights(db, articleId);
    // The stance classifier, rebuilt from the stances editors have set on letters still here:
    // what an erased letter taught leaves with it.
    const model = new StanceModel();
    const bodies = new Map(letters.map((l) => [l.id, l.body]));
    for (const [id, stance] of Object.entries(state?.taught?.stances ?? {})) {
      const body = bodies.get(id);
      if (body !== undefined) model.learn(body, stance);
    }
    const started = performance.now();
    const result = await analyseInWorker({
      article: { id: article.id, title: article.title, body: article.body },
      letters: letters.map((l) => ({ id: l.id, body: l.body, campaignId: l.campaignId })),
      taught: state?.taught ?? null,
      previous: state?.themes ?? null,
      stanceModel: model,
    });
    lastTook.set(articleId, performance.now() - started);
    if (lastTook.size > 1000) lastTook.delete(lastTook.keys().next().value!);
    const set = result.themes;
    const taughtThemes = state?.taught?.themes ?? {};
    const themeOf = new Map<string, string>();
    for (const t of set.themes) for (const id of t.letterIds) themeOf.set(id, t.id);
    const byName = new Map(set.themes.map((t) => [nameKey(t.name ?? t.label), t.id]));
    const rows: LetterInsight[] = letters.map((l) => {
      const taughtName = taughtThemes[l.id];
      const s = result.stances[l.id];
      return {
        letterId: l.id,
        articleId,
        themeId: taughtName ? (byName.get(nameKey(taughtName)) ?? themeOf.get(l.id) ?? null) : (themeOf.get(l.id) ?? null),
        themeName: taughtName ?? null,
        stance: s?.stance ?? null,
        stanceConfidence: s ? Math.round(s.confidence * 1000) / 1000 : null,
        themeSource: taughtName ? 'editor' : 'model',
        stanceSource: s?.source === 'taught' ? 'editor' : 'model',
      };
    });
    const stored = await db.writes.run(async (trx) => {
      await lockArticleInsightState(db, trx, articleId);
      const now = await readGroupingStamp(db, articleId, trx);
      // An editor taught something while this ran: run again with it (three tries, then store what we have).
      if (now && now.revision !== (state?.revision ?? 0) && attempt < 2) return false;
      await saveGrouping(db, trx, articleId, { themes: set, revision: now?.revision ?? 0, letters: letters.length, stanceModel: model.toJSON() });
      await upsertLetterInsights(db, trx, rows);
      if (opts.fromJob) await setGroupingJob(trx, articleId, null);
      return true;
    });
    forgetInsightState(articleId);
    if (stored) return { letters: letters.length, themes: set.themes.length, status: set.status };
  }
}
