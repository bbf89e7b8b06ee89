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
  letterInsightsOfArticle,
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
import { perDatabase } from '../db/per-database.ts';

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
 * Automatic groupings keep the analysis worker busy at most a twentieth of
 * the time. Under a burst of letters an article grows by a fifth every few
 * seconds, and grouping it each time kept a core busy (and the job runner's
 * places, so acknowledgements waited); with several articles growing at once,
 * spacing each article's groupings alone still kept half a core busy. So
 * each automatic grouping queued reserves REGROUP_SPACING times its
 * article's last duration on this database's timeline, after the article's
 * own last grouping and after the groupings reserved before it. A grouping
 * taking a second waits 20 s after the last; one taking 20 ms, under half a
 * second. A first grouping (duration unknown) runs at once and reserves
 * nothing; a reservation whose transaction rolls back only delays the next.
 */
export const REGROUP_SPACING = 20;

/** When this database's automatic groupings may run: the reservations so far, and how long each article's last grouping took here. */
export type GroupingSchedule = {
  /** When the article's automatic grouping may run, reserving its share of the timeline. */
  place(articleId: string, groupedAt: Date | null, now: Date): Date;
  /** The article's last grouping took this long on this node. */
  took(articleId: string, ms: number): void;
};

export function groupingSchedule(): GroupingSchedule {
  const lastTook = new Map<string, number>();
  let free = 0;
  return {
    place(articleId, groupedAt, now) {
      const tookMs = lastTook.get(articleId);
      if (!groupedAt || !tookMs) return now;
      const at = Math.max(now.getTime(), groupedAt.getTime() + REGROUP_SPACING * tookMs, free);
      free = at + REGROUP_SPACING * tookMs;
      return new Date(at);
    },
    took(articleId, ms) {
      lastTook.delete(articleId);
      lastTook.set(articleId, ms);
      if (lastTook.size > 1000) lastTook.delete(lastTook.keys().next().value!);
    },
  };
}

/**
 * Each database's schedule on this node (the jobs and the rounds that queue
 * them run in one thread per database). Several nodes keep a timeline each:
 * a node that has not run an article's grouping knows no duration for it and
 * queues it at once, as after a restart.
 */
const scheduleOf = perDatabase(() => groupingSchedule());

/**
 * Queues the article's grouping unless one is queued already (in the
 * caller's transaction): `spaced`, because its letters grew (see
 * REGROUP_SPACING); `now`, because an editor taught something, which also
 * brings a spaced grouping already queued forward.
 */
export async function requestGrouping(db: Db, trx: Trx, articleId: string, when: 'spaced' | 'now'): Promise<void> {
  // Placing jobs run side by side: the second to find the article due waits here, then finds the first one's job.
  await lockArticleInsightState(db, trx, articleId);
  const stamp = await readGroupingStamp(db, articleId, trx);
  const now = new Date();
  if (stamp?.jobId) {
    if (when === 'now') await bringJobForward(db, trx, stamp.jobId, now);
    return;
  }
  const runAt = when === 'now' ? now : scheduleOf(db).place(articleId, stamp?.groupedAt ?? null, now);
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
    scheduleOf(db).took(articleId, performance.now() - started);
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
      // Only the letters whose theme or stance changed: a grouping under a burst kept rewriting thousands of unchanged rows.
      const stored = await letterInsightsOfArticle(db, articleId, trx);
      await upsertLetterInsights(db, trx, rows.filter((r) => !sameInsight(stored.get(r.letterId), r)));
      if (opts.fromJob) await setGroupingJob(trx, articleId, null);
      return true;
    });
    forgetInsightState(articleId);
    if (stored) return { letters: letters.length, themes: set.themes.length, status: set.status };
  }
}

function sameInsight(a: LetterInsight | undefined, b: LetterInsight): boolean {
  return !!a && a.articleId === b.articleId && a.themeId === b.themeId && a.themeName === b.themeName && a.stance === b.stance && a.stanceConfidence === b.stanceConfidence && a.themeSource === b.themeSource && a.stanceSource === b.stanceSource;
}
