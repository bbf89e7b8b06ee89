// Arriving letters placed among their article's lines of argument: each
// letter's nearest theme and its stance, from the stored ThemeSet and stance
// model (no other letter is read). The `insights` event processor asks for
// it (a letter received after screening matched its article, moved to
// another article, or found not to be spam): one job for a round's letters.
// The job does the text work in the placing worker, outside any
// transaction, then stores the placements in one short transaction. Done in
// the round itself, on the writer thread, it was a fifth of that thread's
// time under a burst of 500 letters a second, and screening fell behind.
// When an article's letters have grown by a fifth since its last grouping,
// the job queues a re-grouping (regroup.ts).
import type { AppContext } from '../context.ts';
import type { Trx } from '../db/executor.ts';
import type { Round } from '../db/round.ts';
import { findArticlesByIds } from '../db/repositories/articles.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { articleLettersNotSpam } from '../db/repositories/letter-counts.ts';
import { findLettersByIds, type Letter } from '../db/repositories/letters.ts';
import { ensureArticleInsightState, findLetterInsights, lockStampsAndTaught, readGroupingStamps, upsertLetterInsights, type GroupingStamp, type LetterInsight } from '../db/repositories/insights.ts';
import type { Placement, Taught } from '../insights/index.ts';
import { placeInWorker } from './analysis-pool.ts';
import { dueForGrouping, requestGrouping } from './regroup.ts';
import { cachedState } from './state.ts';

export const PLACE_JOB = 'place_letters';

/** About an article, not spam, and not erased (an erased letter's text is a marker, or its published text alone). */
const placeable = (l: Letter) => !!l.articleId && l.status !== 'spam' && l.meta?.erased !== true;

/**
 * In an event processors' round: the letter is placed by the job the round
 * queues at its end for all the letters it was asked to place. An article's
 * first letter makes the article's insights row here, where rounds take
 * turns: placing jobs run side by side, and on PostgreSQL the second to
 * insert a row waited for the first to commit, holding its connection.
 */
export async function askPlacement(ctx: AppContext, trx: Trx, letterId: string, round: Pick<Round, 'shared' | 'atEnd' | 'letter'>): Promise<void> {
  const letters = await round.shared('letters to place', async () => new Set<string>());
  letters.add(letterId);
  await round.atEnd('place letters', async () => {
    const articleIds = new Set<string>();
    for (const id of letters) {
      const letter = await round.letter(id);
      if (letter && placeable(letter)) articleIds.add(letter.articleId!);
    }
    if (!articleIds.size) return;
    const stamps = await readGroupingStamps(ctx.db, [...articleIds], trx);
    for (const id of articleIds) if (!stamps.has(id)) await ensureArticleInsightState(ctx.db, trx, id);
    await enqueueJob(ctx.db, trx, PLACE_JOB, { letterIds: [...letters] });
  });
}

const stampKey = (s: GroupingStamp | undefined) => (s ? `${s.groupedAt?.toISOString() ?? '-'}|${s.revision}` : 'none');

/**
 * Places the letters that are still about an article, not spam and not
 * erased. The text work reads the article's state outside the transaction;
 * if a grouping or an editor's teaching changed that state before the
 * placements are stored, they are worked out again (three tries, then
 * stored with the themes as they were read: the next grouping places every
 * letter anew anyway). What editors taught is always applied as it is when
 * the placements are stored.
 */
export async function placeLetters(ctx: AppContext, letterIds: readonly string[]): Promise<void> {
  const { db } = ctx;
  for (let attempt = 0; ; attempt++) {
    const letters = [...(await findLettersByIds(db, [...new Set(letterIds)])).values()].filter(placeable);
    if (!letters.length) return;
    const byArticle = new Map<string, typeof letters>();
    for (const l of letters) byArticle.set(l.articleId!, [...(byArticle.get(l.articleId!) ?? []), l]);
    const articleIds = [...byArticle.keys()];
    const articles = await findArticlesByIds(db, articleIds);
    const stamps = await readGroupingStamps(db, articleIds);
    const asked = [];
    for (const [articleId, group] of byArticle) {
      const article = articles.get(articleId);
      if (!article) continue;
      const stamp = stamps.get(articleId);
      const state = stamp ? ((await cachedState(db, articleId, db.read, stamp))?.state ?? null) : null;
      asked.push({
        key: `${articleId}|${stampKey(stamp)}`,
        article: { id: article.id, title: article.title, body: article.body },
        letters: group.map((l) => ({ id: l.id, body: l.body, campaignId: l.campaignId })),
        state: () => ({ themes: state?.themes ?? null, stanceModel: state?.stanceModel ?? null }),
      });
    }
    if (!asked.length) return;
    const read = new Map(letters.map((l) => [l.id, l]));
    const placed = new Map<string, Placement & { articleId: string }>();
    for (const p of await placeInWorker(asked)) placed.set(p.letterId, { ...p, articleId: read.get(p.letterId)!.articleId! });
    const placedArticles = [...new Set([...placed.values()].map((p) => p.articleId))];
    const stored = await db.writes.run(async (trx) => {
      // Locked (PostgreSQL) before anything is read: a teaching, grouping or erasure committing now waits for this write.
      const now = await lockStampsAndTaught<Taught>(db, trx, placedArticles);
      if (attempt < 2 && placedArticles.some((id) => stampKey(now.get(id)) !== stampKey(stamps.get(id)))) return null;
      // The letters as they are now: one moved to another article or marked spam meanwhile has its own event;
      // one erased meanwhile keeps nothing worked out from its text.
      const current = await findLettersByIds(db, [...placed.keys()], trx);
      const before = await findLetterInsights(db, [...placed.keys()], trx);
      const rows: LetterInsight[] = [];
      for (const p of placed.values()) {
        const letter = current.get(p.letterId);
        if (!letter || !placeable(letter) || letter.articleId !== p.articleId || letter.body !== read.get(p.letterId)!.body) continue;
        const taught = now.get(p.articleId)?.taught;
        const taughtName = taught?.themes?.[p.letterId];
        const taughtStance = taught?.stances?.[p.letterId];
        const prior = before.get(p.letterId);
        // A letter an editor filed stays in the theme it was filed under.
        const keepFiled = taughtName && prior?.themeSource === 'editor' && prior.articleId === p.articleId;
        rows.push({
          letterId: p.letterId,
          articleId: p.articleId,
          themeId: keepFiled ? prior.themeId : p.themeId,
          themeName: taughtName ?? null,
          stance: taughtStance ?? p.stance,
          stanceConfidence: taughtStance ? 1 : p.confidence,
          themeSource: taughtName ? 'editor' : 'model',
          stanceSource: taughtStance ? 'editor' : 'model',
        });
      }
      await upsertLetterInsights(db, trx, rows);
      // Whether the articles grew enough to be grouped again, with one count for all of them.
      const articlesPlaced = [...new Set(rows.map((r) => r.articleId))];
      const counts = await articleLettersNotSpam(db, articlesPlaced, trx);
      for (const id of articlesPlaced) {
        const stamp = now.get(id);
        if (!stamp?.jobId && dueForGrouping(counts.get(id) ?? 0, stamp ?? { groupedLetters: 0, revision: 0 })) await requestGrouping(db, trx, id, 'spaced');
      }
      return true;
    });
    if (stored) return;
  }
}
