// One arriving letter, placed cheaply: its article's nearest theme and its
// stance, from the stored ThemeSet and stance model (no other letter is
// read). Runs in the `insights` event processor after screening, which may
// have matched the letter to its article or joined it to a campaign. When
// the article's letters have grown by a fifth since the last grouping, a
// re-grouping is queued (regroup.ts).
import type { AppContext } from '../context.ts';
import type { Trx } from '../db/executor.ts';
import type { Round } from '../db/round.ts';
import { articleLettersNotSpam } from '../db/repositories/letter-counts.ts';
import { ensureArticleInsightState, findLetterInsights, readGroupingStamps, touchArticleInsightState, upsertLetterInsights } from '../db/repositories/insights.ts';
import { assignToTheme, estimateStance, prepareArticle, type PreparedArticle } from '../insights/index.ts';
import { dueForGrouping, requestGrouping } from './regroup.ts';
import { cachedState, type InsightState } from './state.ts';

// The article's side of stance estimation (its claims), kept per article between letters.
const prepared = new Map<string, { title: string; body: string | null; p: PreparedArticle }>();

export async function placeLetter(ctx: AppContext, trx: Trx, letterId: string, round: Pick<Round, 'article' | 'once' | 'atEnd' | 'shared' | 'lettersRows' | 'articlesRows' | 'letter'>): Promise<void> {
  const { db } = ctx;
  const letter = await round.letter(letterId);
  if (!letter?.articleId || letter.status === 'spam') return;
  const articleId = letter.articleId;
  const article = await round.article(articleId);
  if (!article) return;
  // The round's articles' stamps, read at once; an article's first letter makes its row.
  const stamp = (await round.articlesRows('insights stamps', articleId, (ids) => readGroupingStamps(db, ids, trx))).get(articleId);
  if (!stamp) await round.once(`insights row ${articleId}`, () => ensureArticleInsightState(db, trx, articleId));
  // Read once a round: the round's own placements do not change it, and a grouping it asks for is asked once (below).
  const cached = await round.shared(`insights state ${articleId}`, () => cachedState(db, articleId, trx, stamp));
  const state = cached?.state;
  // Only an editor's theme matters here, and editors' rows are never written by a round.
  const before = (await round.lettersRows('letter insights', letterId, (ids) => findLetterInsights(db, ids, trx))).get(letterId);

  const text = { id: letter.id, body: letter.body, campaignId: letter.campaignId };
  const taughtName = state?.taught?.themes?.[letterId];
  const taughtStance = state?.taught?.stances?.[letterId];
  let themeId: string | null = null;
  if (taughtName && before?.themeSource === 'editor' && before.articleId === articleId) themeId = before.themeId;
  else if (state?.themes) themeId = assignToTheme(state.themes, text).themeId;

  let p = prepared.get(articleId);
  if (!p || p.title !== article.title || p.body !== article.body) {
    p = { title: article.title, body: article.body, p: prepareArticle({ id: article.id, title: article.title, body: article.body }) };
    prepared.set(articleId, p);
    if (prepared.size > 200) prepared.delete(prepared.keys().next().value!);
  }
  const est = taughtStance ? null : estimateStance(p.p, text, cached?.model ?? null);
  await upsertLetterInsights(db, trx, [
    {
      letterId,
      articleId,
      themeId,
      themeName: taughtName ?? null,
      stance: taughtStance ?? est!.stance,
      stanceConfidence: taughtStance ? 1 : Math.round(est!.confidence * 1000) / 1000,
      themeSource: taughtName ? 'editor' : 'model',
      stanceSource: taughtStance ? 'editor' : 'model',
    },
  ]);
  await round.once(`insights touched ${articleId}`, () => touchArticleInsightState(db, trx, articleId));
  // Whether the articles grew enough to be grouped again is decided at the
  // round's end, over its letters as screening left them (an email's article
  // is found by screening), with one count for all of them.
  if (!state || state.jobId) return;
  const due = await round.shared('grouping due', async () => new Map<string, InsightState>());
  due.set(articleId, state);
  await round.atEnd('grouping due', async () => {
    const counts = await articleLettersNotSpam(db, [...due.keys()], trx);
    for (const [id, s] of due) if (dueForGrouping(counts.get(id) ?? 0, s)) await requestGrouping(db, trx, id, 'spaced');
  });
}
