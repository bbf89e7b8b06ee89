// What each app node keeps in memory for screening, per database: the
// article index (matching), the campaign index and the learnt spam model.
// All three are rebuilt from the database on first use and then caught up
// by reading what changed since: articles by `updated_at` (and their count,
// to notice anything missed), campaign records and spam lessons by log
// position. That is what keeps several nodes over one PostgreSQL in step.
// The campaign index is the one that takes long to rebuild (a million letters'
// records): it is read outside any transaction, a page at a time, yielding
// between slices so the thread's other work goes on, while screening waits
// for it (`campaignsReady`), not the node's readiness; a screening then
// catches up the last records inside its transaction.
import type { Db } from '../db/connect.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { allArticlesForIndex, articlesForIndex, articleVersionsSince, campaignRecordsAfter, countAllArticles, spamLessonsAfter, type ArticleRow, type CampaignRemoval } from '../db/repositories/screening.ts';
import { ArticleIndex } from '../matching/article-index.ts';
import { CampaignIndex, type CampaignRecord } from '../screening/campaigns.ts';
import { SpamModel } from '../screening/spam.ts';
import { perDatabase } from '../db/per-database.ts';

// Each is caught up once per transaction (`caughtUpIn`): the event processors
// screen a round of letters in one transaction, and the catch-up's four
// queries found nothing new after the round's first letter. Inside it nothing
// else adds campaign records (lockScreening holds them); an article or a spam
// lesson committed meanwhile waits for the next round. A state forgotten
// after a rollback is a new object, caught up afresh.
/** The transaction `ex` is, to remember a catch-up by; the database's own reader (a fresh snapshot each read) is never remembered. */
function inTransaction(db: Db, ex: Reader): Reader | undefined {
  return ex === db.read ? undefined : ex;
}

/** `version`: each indexed article's `updated_at`, so an unchanged article is not indexed again. */
type Articles = { index: ArticleIndex; hosts: Set<string>; version: Map<string, number>; maxUpdated: Date | null; caughtUpIn?: Reader };
type Campaigns = { index: CampaignIndex; seq: number; caughtUpIn?: Reader };
type Spam = { model: SpamModel; seq: number; caughtUpIn?: Reader };

type State = {
  articles: Articles | null;
  campaigns: Campaigns | null;
  /** The campaign index being read from the log (null when none is). */
  building: Promise<void> | null;
  /** Bumped when the index is forgotten, so a build started before that is not kept. */
  generation: number;
  spam: Spam | null;
  queue: Promise<unknown>;
};

const stateOf = perDatabase((): State => ({ articles: null, campaigns: null, building: null, generation: 0, spam: null, queue: Promise.resolve() }));

/**
 * Runs `work` alone among this node's screening work on this database: the
 * in-memory indexes are read and changed by one caller at a time.
 */
export function exclusively<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const s = stateOf(db);
  const run = s.queue.then(work, work);
  s.queue = run.catch(() => {});
  return run;
}

/** Forget the campaign index (a write failed after the index took a letter): rebuilt on next use. */
export function forgetCampaigns(db: Db): void {
  const s = stateOf(db);
  s.campaigns = null;
  s.generation++;
}

/**
 * True when the campaign index is in memory; when it is not, starts reading
 * it from the log in the background (once) and answers the build. Screening
 * waits for true (the `screen` processor's `ready`).
 */
export function campaignsReady(db: Db): true | Promise<void> {
  const s = stateOf(db);
  if (s.campaigns) return true;
  // A failed build (the database away) is tried again at the next ask.
  s.building ??= buildCampaigns(db, s)
    .catch(() => {})
    .finally(() => {
      s.building = null;
    });
  return s.building;
}

/** Records replayed between two yields to the thread's other work. */
const SLICE = 200;

async function buildCampaigns(db: Db, s: State): Promise<void> {
  const generation = s.generation;
  const c = await emptyCampaigns(db, db.read);
  await replayCampaignRecords(db, db.read, c, SLICE);
  // Taken only if nothing was forgotten meanwhile and nobody built one inside a transaction.
  if (s.generation === generation && !s.campaigns) s.campaigns = c;
}

/**
 * A campaign index holding no letter yet. The articles are its background:
 * phrases letters share because they quote the article are not talking
 * points. Later article changes reach it through the article index's
 * catch-up (addArticles).
 */
async function emptyCampaigns(db: Db, ex: Reader): Promise<Campaigns> {
  const c: Campaigns = { index: new CampaignIndex(), seq: 0 };
  for (const r of await allArticlesForIndex(db, ex)) c.index.addBackground(articleText(r));
  return c;
}

/** Applies the campaign log's records after `c.seq`, a page at a time; `yieldEvery`: records between yields to the thread's other work. */
async function replayCampaignRecords(db: Db, ex: Reader, c: Campaigns, yieldEvery = Infinity): Promise<void> {
  for (;;) {
    const page = await campaignRecordsAfter<CampaignRecord | CampaignRemoval>(db, ex, c.seq);
    for (let i = 0; i < page.length; i++) {
      const { seq, record } = page[i]!;
      if (record && 'removed' in record) c.index.remove(record.removed);
      else if (record) c.index.addRecord(record);
      c.seq = seq;
      if (i % yieldEvery === yieldEvery - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    if (page.length < 5000) return;
  }
}

// A transaction may commit an article with an earlier `updated_at` than one
// already seen (its clock was read first); re-reading a margin catches it.
const ARTICLE_MARGIN_MS = 60_000;

/** The article index, caught up through `ex` (inside a write, the transaction). */
export async function articleIndex(db: Db, ex: Reader): Promise<Articles> {
  const s = stateOf(db);
  const a = s.articles;
  if (a?.caughtUpIn === ex) return a;
  if (a) {
    // Versions first: only articles that changed since they were indexed are read whole and indexed again.
    const since = a.maxUpdated ? new Date(a.maxUpdated.getTime() - ARTICLE_MARGIN_MS) : null;
    const changed = (await articleVersionsSince(db, ex, since)).filter((v) => a.version.get(v.id) !== v.updatedAt.getTime());
    if (changed.length) addArticles(s, a, await articlesForIndex(db, ex, changed.map((v) => v.id)));
    // Deleted articles, or a change the margin missed: start again.
    if ((await countAllArticles(db, ex)) === a.index.size) {
      a.caughtUpIn = inTransaction(db, ex);
      return a;
    }
  }
  const fresh: Articles = { index: new ArticleIndex(), hosts: new Set(), version: new Map(), maxUpdated: null };
  addArticles(s, fresh, await allArticlesForIndex(db, ex));
  fresh.caughtUpIn = inTransaction(db, ex);
  s.articles = fresh;
  return fresh;
}

function addArticles(s: State, a: Articles, rows: ArticleRow[]): void {
  for (const r of rows) {
    s.campaigns?.index.addBackground(articleText(r));
    a.version.set(r.id, r.updatedAt.getTime());
    a.index.add({ id: r.id, url: r.url, title: r.title, author: r.author, publishedAt: r.publishedAt, section: r.section, body: r.body });
    try {
      a.hosts.add(new URL(r.url).hostname.toLowerCase());
    } catch {
      // Stored URLs are validated on save; a bad one only costs a trusted domain.
    }
    if (!a.maxUpdated || r.updatedAt > a.maxUpdated) a.maxUpdated = r.updatedAt;
  }
}

function articleText(r: ArticleRow): string {
  return `${r.title}\n\n${r.body ?? ''}`;
}

/** The campaign index, caught up through `ex` (inside a write, the transaction). Call within `exclusively`. */
export async function campaignIndex(db: Db, ex: Reader): Promise<Campaigns> {
  const s = stateOf(db);
  // Outside a transaction (the desk's campaign pages), wait for the background build.
  if (!s.campaigns && ex === db.read) await campaignsReady(db);
  let c = s.campaigns;
  if (c?.caughtUpIn === ex) return c;
  if (!c) s.campaigns = c = await emptyCampaigns(db, ex);
  await replayCampaignRecords(db, ex, c);
  c.caughtUpIn = inTransaction(db, ex);
  return c;
}

/** The learnt spam model, caught up with the editors' decisions through `ex`. Call within `exclusively`. */
export async function spamModel(db: Db, ex: Reader): Promise<SpamModel> {
  const s = stateOf(db);
  const m = (s.spam ??= { model: new SpamModel(), seq: 0 });
  if (m.caughtUpIn === ex) return m.model;
  for (;;) {
    const page = await spamLessonsAfter(db, ex, m.seq);
    for (const l of page) {
      if (l.delta > 0) m.model.learn(l.text, l.label === 'spam');
      else m.model.unlearn(l.text, l.label === 'spam');
      m.seq = l.seq;
    }
    if (page.length < 5000) {
      m.caughtUpIn = inTransaction(db, ex);
      return m.model;
    }
  }
}
