// What readers think (issue 12): per-article figures read from the letters
// (per day, by status, by door, by campaign), the engine's stored state per
// article (article_insights) and each letter's theme and stance
// (letter_insights). The engine's shapes are opaque JSON here: the
// insights store (src/insights-store) gives them their types.
import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import { enqueueJob } from './jobs.ts';
import { inChunks } from '../chunks.ts';
import { upsertRows } from '../insert-rows.ts';
import { appendAtBatchEnd } from '../batch.ts';

export type ArticleInsights = {
  total: number;
  byStatus: Record<string, number>;
  bySource: Record<string, number>;
  perDay: { day: string; letters: number }[];
  /** Letters per UTC day and door (form, api, email), oldest first. */
  perDayByDoor: { day: string; door: string; letters: number }[];
  campaigns: { campaignId: string; letters: number }[];
};

export async function articleInsights(db: Db, articleId: string): Promise<ArticleInsights> {
  const m = db.dialect;
  // UTC day of arrival, as text.
  const day = db.dialect.utcDay('created_at');
  const [statuses, sources, days, campaigns, doorDays] = await Promise.all([
    db.read.selectFrom('letters').select(['status', (e) => e.fn.countAll().as('n')]).where('article_id', '=', articleId).groupBy('status').execute(),
    db.read.selectFrom('letters').select(['source', (e) => e.fn.countAll().as('n')]).where('article_id', '=', articleId).groupBy('source').execute(),
    db.read.selectFrom('letters').select([day.as('day'), (e) => e.fn.countAll().as('n')]).where('article_id', '=', articleId).groupBy(day).orderBy(day).execute(),
    db.read
      .selectFrom('letters')
      .select(['campaign_id', (e) => e.fn.countAll().as('n')])
      .where('article_id', '=', articleId)
      .where('campaign_id', 'is not', null)
      .groupBy('campaign_id')
      .execute(),
    db.read.selectFrom('letters').select([day.as('day'), 'source', (e) => e.fn.countAll().as('n')]).where('article_id', '=', articleId).groupBy([day, 'source']).orderBy(day).execute(),
  ]);
  const byStatus = Object.fromEntries(statuses.map((r) => [r.status, m.readInt(r.n)]));
  return {
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    bySource: Object.fromEntries(sources.map((r) => [r.source, m.readInt(r.n)])),
    perDay: days.map((r) => ({ day: String(r.day), letters: m.readInt(r.n) })),
    perDayByDoor: doorDays.map((r) => ({ day: String(r.day), door: r.source, letters: m.readInt(r.n) })),
    campaigns: campaigns.map((r) => ({ campaignId: r.campaign_id!, letters: m.readInt(r.n) })).sort((a, b) => b.letters - a.letters),
  };
}

// --- the engine's state per article ---------------------------------------

export type ArticleInsightState<Themes = unknown, Taught = unknown, Model = unknown> = {
  articleId: string;
  themes: Themes | null;
  taught: Taught;
  stanceModel: Model | null;
  /** Teachings so far; a grouping records the revision it read. */
  revision: number;
  groupedRevision: number;
  groupedLetters: number;
  groupedAt: Date | null;
  jobId: string | null;
};

export async function readArticleInsightState<A, B, C>(db: Db, articleId: string, ex: Reader = db.read): Promise<ArticleInsightState<A, B, C> | null> {
  const r = await ex.selectFrom('article_insights').selectAll().where('article_id', '=', articleId).executeTakeFirst();
  if (!r) return null;
  const m = db.dialect;
  return {
    articleId: r.article_id,
    themes: m.readJson<A | null>(r.themes, null),
    taught: m.readJson<B>(r.taught, {} as B),
    stanceModel: m.readJson<C | null>(r.stance_model, null),
    revision: r.revision,
    groupedRevision: r.grouped_revision,
    groupedLetters: r.grouped_letters,
    groupedAt: r.grouped_at ? m.readTime(r.grouped_at) : null,
    jobId: r.job_id,
  };
}

/** The grouping's stamp alone (cheap): whether a cached ThemeSet is still the stored one. */
export type GroupingStamp = { groupedAt: Date | null; revision: number; groupedLetters: number; jobId: string | null };

export async function readGroupingStamp(db: Db, articleId: string, ex: Reader = db.read): Promise<GroupingStamp | null> {
  return (await readGroupingStamps(db, [articleId], ex)).get(articleId) ?? null;
}

/** Several articles' stamps in one read (the event processors' round); an article without insights yet has none. */
export async function readGroupingStamps(db: Db, articleIds: string[], ex: Reader = db.read): Promise<Map<string, GroupingStamp>> {
  if (!articleIds.length) return new Map();
  const rows = await ex.selectFrom('article_insights').select(['article_id', 'grouped_at', 'revision', 'grouped_letters', 'job_id']).where('article_id', 'in', articleIds).execute();
  return new Map(rows.map((r) => [r.article_id, { groupedAt: r.grouped_at ? db.dialect.readTime(r.grouped_at) : null, revision: r.revision, groupedLetters: r.grouped_letters, jobId: r.job_id }]));
}

/**
 * The articles' stamps and what editors taught them, for a write that
 * depends on both (storing placements): on PostgreSQL the rows are locked
 * until it commits, in article order. Teaching, grouping and erasure lock
 * them too, erasure after its letters and before changing them or their
 * insights, so each waits for the other and none in a circle. (Locked
 * shared instead, concurrent placements made PostgreSQL share the locks
 * between them, and under a burst the jobs fell thousands behind.)
 */
export async function lockStampsAndTaught<T>(db: Db, ex: Trx, articleIds: string[]): Promise<Map<string, GroupingStamp & { taught: T }>> {
  if (!articleIds.length) return new Map();
  const q = ex.selectFrom('article_insights').select(['article_id', 'grouped_at', 'revision', 'grouped_letters', 'job_id', 'taught']).where('article_id', 'in', articleIds).orderBy('article_id');
  const rows = await (db.dialect.name === 'postgres' ? q.forUpdate() : q).execute();
  return new Map(
    rows.map((r) => [r.article_id, { groupedAt: r.grouped_at ? db.dialect.readTime(r.grouped_at) : null, revision: r.revision, groupedLetters: r.grouped_letters, jobId: r.job_id, taught: db.dialect.readJson<T>(r.taught, {} as T) }]),
  );
}

export async function readStoredThemes<T>(db: Db, articleId: string, ex: Reader = db.read): Promise<{ themes: T | null; stanceModel: unknown } | null> {
  const r = await ex.selectFrom('article_insights').select(['themes', 'stance_model']).where('article_id', '=', articleId).executeTakeFirst();
  if (!r) return null;
  return { themes: db.dialect.readJson<T | null>(r.themes, null), stanceModel: db.dialect.readJson<unknown>(r.stance_model, null) };
}

/**
 * Creates the article's row when it has none (an article's first letter).
 * Read first: on PostgreSQL an insert that meets the existing row waits for
 * any transaction changing it (a grouping being stored, another round's
 * placements), and every letter after an article's first asks this.
 */
export async function ensureArticleInsightState(db: Db, ex: Trx, articleId: string): Promise<void> {
  if (await ex.selectFrom('article_insights').select('article_id').where('article_id', '=', articleId).executeTakeFirst()) return;
  await ex
    .insertInto('article_insights')
    .values({ article_id: articleId, themes: null, taught: db.dialect.json({}), stance_model: null, revision: 0, grouped_revision: -1, grouped_letters: 0, grouped_at: null, job_id: null, updated_at: db.dialect.time(new Date()) })
    .onConflict((oc) => oc.column('article_id').doNothing())
    .execute();
}

/** Locks the article's row for a teaching (read, change, write) on PostgreSQL; SQLite's writer is alone. */
export async function lockArticleInsightState(db: Db, ex: Trx, articleId: string): Promise<void> {
  await ensureArticleInsightState(db, ex, articleId);
  if (db.dialect.name === 'postgres') await sql`select 1 from article_insights where article_id = ${articleId} for update`.execute(ex);
}

/** Stores what editors taught (and the themes when a rename or merge changed them); counts a revision. */
export async function saveTeaching(db: Db, ex: Trx, articleId: string, v: { taught: unknown; stanceModel?: unknown; themes?: unknown }): Promise<void> {
  await ex
    .updateTable('article_insights')
    .set((eb) => ({
      taught: db.dialect.json(v.taught),
      ...(v.stanceModel !== undefined ? { stance_model: db.dialect.json(v.stanceModel) } : {}),
      ...(v.themes !== undefined ? { themes: db.dialect.json(v.themes) } : {}),
      revision: eb('revision', '+', 1),
      updated_at: db.dialect.time(new Date()),
    }))
    .where('article_id', '=', articleId)
    .execute();
}

/** Stores a grouping computed from teaching revision `revision` and `letters` letters. */
export async function saveGrouping(db: Db, ex: Trx, articleId: string, v: { themes: unknown; revision: number; letters: number; stanceModel?: unknown }): Promise<void> {
  const now = db.dialect.time(new Date());
  await ex
    .updateTable('article_insights')
    .set({ themes: db.dialect.json(v.themes), ...(v.stanceModel !== undefined ? { stance_model: db.dialect.json(v.stanceModel) } : {}), grouped_revision: v.revision, grouped_letters: v.letters, grouped_at: now, updated_at: now })
    .where('article_id', '=', articleId)
    .execute();
}

/**
 * A cheap stamp of everything an article's insights page shows: its letters'
 * count and latest change (arrivals, status changes, edits), its letters'
 * latest placement, and its insights' latest change (groupings, teaching).
 * Index-only reads.
 */
export async function insightsStamp(db: Db, articleId: string): Promise<string> {
  const [l, placed, a] = await Promise.all([
    db.read.selectFrom('letters').select([(e) => e.fn.countAll().as('n'), (e) => e.fn.max('updated_at').as('at')]).where('article_id', '=', articleId).executeTakeFirst(),
    db.read.selectFrom('letter_insights').select((e) => e.fn.max('updated_at').as('at')).where('article_id', '=', articleId).executeTakeFirst(),
    db.read.selectFrom('article_insights').select('updated_at').where('article_id', '=', articleId).executeTakeFirst(),
  ]);
  const t = (v: unknown) => (v ? db.dialect.readTime(v).toISOString() : '-');
  return `${db.dialect.readInt(l?.n ?? 0)}|${t(l?.at)}|${t(placed?.at)}|${t(a?.updated_at)}`;
}

export async function setGroupingJob(ex: Trx, articleId: string, jobId: string | null): Promise<void> {
  await ex.updateTable('article_insights').set({ job_id: jobId }).where('article_id', '=', articleId).execute();
}

// --- letters as the engine reads them --------------------------------------

export type InsightLetter = { id: string; body: string; campaignId: string | null; status: string; writerId: string; createdAt: Date; publishedAt: Date | null };

/** An article's letters that count (not spam), oldest first, with the text the writer sent. */
export async function lettersForInsights(db: Db, articleId: string, ex: Reader = db.read): Promise<InsightLetter[]> {
  const rows = await ex
    .selectFrom('letters')
    .select(['id', 'body', 'campaign_id', 'status', 'writer_id', 'created_at', 'published_at'])
    .where('article_id', '=', articleId)
    .where('status', '!=', 'spam')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const m = db.dialect;
  return rows.map((r) => ({ id: r.id, body: r.body, campaignId: r.campaign_id, status: r.status, writerId: r.writer_id, createdAt: m.readTime(r.created_at), publishedAt: r.published_at ? m.readTime(r.published_at) : null }));
}

/** The first letter ever of each of these writers (for "first-time versus regular writers"). */
export async function firstLetterOfWriters(db: Db, writerIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await inChunks(writerIds, async (chunk) => {
    const rows = await db.read.selectFrom('letters').select(['writer_id', 'id', 'created_at']).where('writer_id', 'in', chunk).orderBy('created_at').orderBy('id').execute();
    for (const r of rows) if (!out.has(r.writer_id)) out.set(r.writer_id, r.id);
  });
  return out;
}

// --- each letter's insight ---------------------------------------------------

export type LetterInsight = {
  letterId: string;
  articleId: string;
  themeId: string | null;
  themeName: string | null;
  stance: string | null;
  stanceConfidence: number | null;
  themeSource: 'model' | 'editor';
  stanceSource: 'model' | 'editor';
};

function row(db: Db, i: LetterInsight, now: string | Date) {
  return {
    letter_id: i.letterId,
    article_id: i.articleId,
    theme_id: i.themeId,
    theme_name: i.themeName,
    stance: i.stance,
    stance_confidence: i.stanceConfidence,
    theme_source: i.themeSource,
    stance_source: i.stanceSource,
    updated_at: now,
  };
}

/** Writes letters' insights (a grouping writes an article's all); in an event processors' round, at its end. */
export async function upsertLetterInsights(db: Db, ex: Trx, items: LetterInsight[]): Promise<void> {
  const now = db.dialect.time(new Date());
  await upsertRows(db, ex, 'letter_insights', 'letter_id', items.map((x) => row(db, x, now)));
}

function toInsight(r: { letter_id: string; article_id: string; theme_id: string | null; theme_name: string | null; stance: string | null; stance_confidence: number | null; theme_source: string; stance_source: string }): LetterInsight {
  return {
    letterId: r.letter_id,
    articleId: r.article_id,
    themeId: r.theme_id,
    themeName: r.theme_name,
    stance: r.stance,
    stanceConfidence: r.stance_confidence === null ? null : Number(r.stance_confidence),
    themeSource: r.theme_source === 'editor' ? 'editor' : 'model',
    stanceSource: r.stance_source === 'editor' ? 'editor' : 'model',
  };
}

/** The insights stored for an article's letters. */
export async function letterInsightsOfArticle(db: Db, articleId: string, ex: Reader = db.read): Promise<Map<string, LetterInsight>> {
  const rows = await ex.selectFrom('letter_insights').selectAll().where('article_id', '=', articleId).execute();
  return new Map(rows.map((r) => [r.letter_id, toInsight(r)]));
}

export async function findLetterInsights(db: Db, letterIds: string[], ex: Reader = db.read): Promise<Map<string, LetterInsight>> {
  const out = new Map<string, LetterInsight>();
  await inChunks(letterIds, async (chunk) => {
    for (const r of await ex.selectFrom('letter_insights').selectAll().where('letter_id', 'in', chunk).execute()) out.set(r.letter_id, toInsight(r));
  });
  return out;
}

/** An article's letters (not spam) with their insight, campaign and status: what the insights page counts. */
export async function articleLetterInsights(db: Db, articleId: string): Promise<(LetterInsight & { campaignId: string | null; status: string; writerId: string })[]> {
  const rows = await db.read
    .selectFrom('letters')
    .leftJoin('letter_insights', 'letter_insights.letter_id', 'letters.id')
    .select([
      'letters.id as id',
      'letters.campaign_id as campaign_id',
      'letters.status as status',
      'letters.writer_id as writer_id',
      'letter_insights.theme_id as theme_id',
      'letter_insights.theme_name as theme_name',
      'letter_insights.stance as stance',
      'letter_insights.stance_confidence as stance_confidence',
      'letter_insights.theme_source as theme_source',
      'letter_insights.stance_source as stance_source',
    ])
    .where('letters.article_id', '=', articleId)
    .where('letters.status', '!=', 'spam')
    .execute();
  return rows.map((r) => ({
    ...toInsight({ ...r, letter_id: r.id, article_id: articleId, theme_source: r.theme_source ?? 'model', stance_source: r.stance_source ?? 'model' }),
    campaignId: r.campaign_id,
    status: r.status,
    writerId: r.writer_id,
  }));
}

/** Renames a theme id on an article's letters (a merge). */
export async function moveLettersToTheme(ex: Trx, articleId: string, fromThemeId: string, intoThemeId: string): Promise<void> {
  await ex.updateTable('letter_insights').set({ theme_id: intoThemeId }).where('article_id', '=', articleId).where('theme_id', '=', fromThemeId).execute();
}

/** Letters editors filed under a theme now filed under its new name (a rename or merge). */
export async function setEditorThemeName(ex: Trx, articleId: string, themeId: string, name: string): Promise<void> {
  await ex.updateTable('letter_insights').set({ theme_name: name }).where('article_id', '=', articleId).where('theme_id', '=', themeId).where('theme_source', '=', 'editor').execute();
}

// --- the weekly report ---------------------------------------------------------

/** Letters received in [from, to) per article (spam left out), most first. */
export async function lettersPerArticle(db: Db, from: Date, to: Date): Promise<{ articleId: string; title: string; letters: number }[]> {
  const m = db.dialect;
  const rows = await db.read
    .selectFrom('letters')
    .innerJoin('articles', 'articles.id', 'letters.article_id')
    .select(['letters.article_id as article_id', 'articles.title as title', (e) => e.fn.countAll().as('n')])
    .where('letters.created_at', '>=', m.time(from))
    .where('letters.created_at', '<', m.time(to))
    .where('letters.status', '!=', 'spam')
    .groupBy(['letters.article_id', 'articles.title'])
    .execute();
  return rows.map((r) => ({ articleId: r.article_id!, title: r.title, letters: m.readInt(r.n) })).sort((a, b) => b.letters - a.letters || (a.articleId < b.articleId ? -1 : 1));
}

/** The period's letters of these articles with campaign, status and insight (one query per few hundred articles). */
export async function periodLetterInsights(db: Db, articleIds: string[], from: Date, to: Date): Promise<{ id: string; articleId: string; campaignId: string | null; status: string; themeId: string | null; stance: string | null }[]> {
  const m = db.dialect;
  const out: { id: string; articleId: string; campaignId: string | null; status: string; themeId: string | null; stance: string | null }[] = [];
  for (let i = 0; i < articleIds.length; i += 300) {
    const rows = await db.read
      .selectFrom('letters')
      .leftJoin('letter_insights', 'letter_insights.letter_id', 'letters.id')
      .select(['letters.id as id', 'letters.article_id as article_id', 'letters.campaign_id as campaign_id', 'letters.status as status', 'letter_insights.theme_id as theme_id', 'letter_insights.stance as stance'])
      .where('letters.article_id', 'in', articleIds.slice(i, i + 300))
      .where('letters.created_at', '>=', m.time(from))
      .where('letters.created_at', '<', m.time(to))
      .where('letters.status', '!=', 'spam')
      .execute();
    for (const r of rows) out.push({ id: r.id, articleId: r.article_id!, campaignId: r.campaign_id, status: r.status, themeId: r.theme_id, stance: r.stance });
  }
  return out;
}

/** Stored theme sets of these articles (labels and ids for the report). */
export async function storedThemesOf<T>(db: Db, articleIds: string[]): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let i = 0; i < articleIds.length; i += 300) {
    const rows = await db.read.selectFrom('article_insights').select(['article_id', 'themes']).where('article_id', 'in', articleIds.slice(i, i + 300)).execute();
    for (const r of rows) {
      const t = db.dialect.readJson<T | null>(r.themes, null);
      if (t) out.set(r.article_id, t);
    }
  }
  return out;
}

// --- erasure ------------------------------------------------------------------

/** The job that groups an article again (src/insights-store/regroup.ts, named here so erasure can queue it). */
const GROUP_JOB = 'group_insights';

type StoredTheme = { letterIds?: string[]; taughtLetterIds?: string[]; representatives?: { letterId: string }[] };

/**
 * A writer erased: what insights kept of the letter goes. Its row; its place
 * in the stored themes, and its sentence where it was a representative;
 * what editors taught with it. The article is grouped again, which also
 * rebuilds the stance classifier from the stances still taught.
 */
export async function forgetLetterInsights(db: Db, ex: Trx, letterId: string): Promise<void> {
  const row = await ex.selectFrom('letter_insights').select('article_id').where('letter_id', '=', letterId).executeTakeFirst();
  await ex.deleteFrom('letter_insights').where('letter_id', '=', letterId).execute();
  if (!row) return;
  const st = await ex.selectFrom('article_insights').selectAll().where('article_id', '=', row.article_id).executeTakeFirst();
  if (!st) return;
  const m = db.dialect;
  const set = m.readJson<{ themes?: StoredTheme[]; unassigned?: string[] } | null>(st.themes, null);
  for (const t of set?.themes ?? []) {
    t.letterIds = (t.letterIds ?? []).filter((id) => id !== letterId);
    t.taughtLetterIds = (t.taughtLetterIds ?? []).filter((id) => id !== letterId);
    t.representatives = (t.representatives ?? []).filter((r) => r.letterId !== letterId);
  }
  if (set?.unassigned) set.unassigned = set.unassigned.filter((id) => id !== letterId);
  const taught = m.readJson<{ themes?: Record<string, string>; stances?: Record<string, string> }>(st.taught, {});
  delete taught.themes?.[letterId];
  delete taught.stances?.[letterId];
  const jobId = st.job_id ?? (await enqueueJob(db, ex, GROUP_JOB, { articleId: row.article_id }));
  await ex
    .updateTable('article_insights')
    .set({ themes: set ? m.json(set) : null, taught: m.json(taught), revision: st.revision + 1, job_id: jobId, updated_at: m.time(new Date()) })
    .where('article_id', '=', row.article_id)
    .execute();
}
