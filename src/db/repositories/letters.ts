// Letters: rows in and out, the queue listing and its full-text search.
import type { Db } from '../connect.ts';
import type { ColumnKind } from '../dialect.ts';
import { insertAllNow } from '../insert-rows.ts';
import { appendAtBatchEnd } from '../batch.ts';
import { upsertWriters, type WriterInput } from './writers.ts';
import type { Reader, Trx } from '../executor.ts';
import { sql, type Selectable } from 'kysely';
import type { LetterTable } from '../schema.ts';
import { compiledQuery } from '../compiled-query.ts';

export type LetterSource = 'form' | 'api' | 'email';

export type Letter = {
  id: string;
  articleId: string | null;
  articleMethod: string | null;
  articleConfidence: number | null;
  writerId: string;
  status: string;
  source: LetterSource;
  subject: string | null;
  name: string;
  town: string | null;
  body: string;
  original: string;
  editedBody: string | null;
  headline: string | null;
  displayName: string | null;
  wordCount: number;
  consent: boolean;
  /** When the writer agreed to publication; null: not yet (a letter by email until its writer presses the consent button). */
  consentAt: Date | null;
  /** The language the writer is answered in (a catalogue's code); null: the publication's. */
  language: string | null;
  exclusive: boolean;
  spamScore: number | null;
  spamReasons: string[];
  campaignId: string | null;
  flags: string[];
  pow: string;
  messageId: string | null;
  confirmedAt: Date | null;
  assignedTo: string | null;
  scheduledAt: Date | null;
  publishedAt: Date | null;
  meta: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** The desk's changes so far: each action adds one (optimistic concurrency, migration 0730). */
  version: number;
};

/** A letter's row as the desk reads it. */
export type LetterRow = Selectable<LetterTable>;

/**
 * The columns read for a letter, named rather than `select *`: until
 * migration 0990 PostgreSQL's letters also held their search vector (about
 * 2 KB, as text), which `*` sent along, and the event processors read every
 * letter three times (100 letters by id took 4.8–5.2 ms with it, 2.9 ms
 * without). Named, a column added to the table for some other use is not
 * read by every letter's read unless it is listed here.
 */
export const LETTER_COLUMNS = [
  'id', 'article_id', 'article_method', 'article_confidence', 'writer_id', 'status', 'source', 'subject', 'name', 'town', 'body', 'original',
  'edited_body', 'headline', 'display_name', 'word_count', 'consent', 'exclusive', 'spam_score', 'spam_reasons', 'campaign_id', 'flags', 'pow',
  'dedupe_key', 'message_id', 'confirm_token_hash', 'confirmed_at', 'assigned_to', 'scheduled_at', 'published_at', 'meta', 'created_at',
  'updated_at', 'published_body', 'published_town', 'version', 'consent_at', 'language',
] as const satisfies readonly (keyof LetterRow)[];
// A column added to the table and not to the list fails to compile here.
const everyColumnListed: Exclude<keyof LetterRow, (typeof LETTER_COLUMNS)[number]> extends never ? true : never = true;
void everyColumnListed;

export function toLetter(db: Db, r: LetterRow): Letter {
  const m = db.dialect;
  return {
    id: r.id,
    articleId: r.article_id,
    articleMethod: r.article_method,
    articleConfidence: r.article_confidence == null ? null : Number(r.article_confidence),
    writerId: r.writer_id,
    status: r.status,
    source: r.source as LetterSource,
    subject: r.subject,
    name: r.name,
    town: r.town,
    body: r.body,
    original: r.original,
    editedBody: r.edited_body,
    headline: r.headline,
    displayName: r.display_name,
    wordCount: m.readInt(r.word_count),
    consent: m.readBool(r.consent),
    consentAt: m.readTimeOrNull(r.consent_at ?? null),
    language: r.language ?? null,
    exclusive: m.readBool(r.exclusive),
    spamScore: r.spam_score == null ? null : Number(r.spam_score),
    spamReasons: m.readJson(r.spam_reasons, []),
    campaignId: r.campaign_id,
    flags: m.readJson(r.flags, []),
    pow: r.pow,
    messageId: r.message_id,
    confirmedAt: m.readTimeOrNull(r.confirmed_at),
    assignedTo: r.assigned_to,
    scheduledAt: m.readTimeOrNull(r.scheduled_at),
    publishedAt: m.readTimeOrNull(r.published_at),
    meta: m.readJson(r.meta, {}),
    createdAt: m.readTime(r.created_at),
    updatedAt: m.readTime(r.updated_at),
    version: r.version == null ? 1 : m.readInt(r.version),
  };
}

/** What intake stores: the letter's own fields, plus the keys that find it again. */
export type NewLetter = Pick<
  Letter,
  | 'id' | 'articleId' | 'articleMethod' | 'articleConfidence' | 'status' | 'source' | 'subject' | 'name' | 'town'
  | 'body' | 'original' | 'wordCount' | 'consent' | 'language' | 'exclusive' | 'pow' | 'messageId' | 'flags' | 'meta' | 'createdAt'
> & { dedupeKey: string | null };

/** Text the queue search looks in: who wrote, from where, and what. */
export function searchText(l: { name: string; town: string | null; subject: string | null; body: string }): string {
  return [l.name, l.town ?? '', l.subject ?? '', l.body].join('\n');
}

/**
 * Stores a new letter, creating or updating its writer, and indexes its text.
 * In a write that allows appends (intake), the letter waits for the end of
 * the batch, where the batch's letters go in together: one read of their
 * writers, their new writers in one insert, the letters in a few (on
 * PostgreSQL each statement is a round trip, and a letter took four).
 */
export async function insertLetter(db: Db, ex: Trx, writer: WriterInput, letter: NewLetter): Promise<void> {
  const item: LetterByWriter = { writer, letter };
  if (appendAtBatchEnd(ex, 'letters', 'letters', [item], (trx, items) => insertLettersNow(db, trx, items as LetterByWriter[]), { first: true })) return;
  await insertLettersNow(db, ex, [item]);
}

type LetterByWriter = { writer: WriterInput; letter: NewLetter };

async function insertLettersNow(db: Db, ex: Trx, items: LetterByWriter[]): Promise<void> {
  const m = db.dialect;
  const writerIds = await upsertWriters(db, ex, items.map((i) => i.writer));
  const rows = items.map(({ writer, letter: l }) => {
    const t = m.time(l.createdAt);
    return {
      id: l.id,
      article_id: l.articleId,
      article_method: l.articleMethod,
      article_confidence: l.articleConfidence,
      writer_id: writerIds.get(writer.emailKey)!,
      status: l.status,
      source: l.source,
      subject: l.subject,
      name: l.name,
      town: l.town,
      body: l.body,
      original: l.original,
      edited_body: null,
      headline: null,
      display_name: null,
      word_count: l.wordCount,
      consent: m.bool(l.consent),
      // Consent given with the letter counts from its arrival.
      consent_at: l.consent ? t : null,
      language: l.language,
      exclusive: m.bool(l.exclusive),
      spam_score: null,
      spam_reasons: m.json([]),
      campaign_id: null,
      flags: m.json(l.flags),
      pow: l.pow,
      dedupe_key: l.dedupeKey,
      message_id: l.messageId,
      confirm_token_hash: null,
      confirmed_at: null,
      assigned_to: null,
      scheduled_at: null,
      published_at: null,
      meta: m.json(l.meta),
      created_at: t,
      updated_at: t,
    };
  });
  await insertAllNow(db, ex, 'letters', rows);
  await m.indexNewLetters(ex, items.map(({ letter }) => ({ id: letter.id, text: searchText(letter) })));
}

export async function findLetterById(db: Db, id: string, ex: Reader = db.read): Promise<Letter | null> {
  const row = await ex.selectFrom('letters').select(LETTER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toLetter(db, row) : null;
}

export async function findLettersByIds(db: Db, ids: string[], ex: Reader = db.read): Promise<Map<string, Letter>> {
  if (!ids.length) return new Map();
  const rows = await ex.selectFrom('letters').select(LETTER_COLUMNS).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toLetter(db, r)]));
}

const byDedupeKey = compiledQuery((k, key: string) => k.selectFrom('letters').select(LETTER_COLUMNS).where('dedupe_key', '=', key), 1);

export async function findLetterByDedupeKey(db: Db, key: string, ex: Reader = db.read): Promise<Letter | null> {
  const [row] = await byDedupeKey(db, ex, key);
  return row ? toLetter(db, row) : null;
}

export async function findLetterByConfirmHash(db: Db, hash: string, ex: Reader = db.read): Promise<Letter | null> {
  const row = await ex.selectFrom('letters').select(LETTER_COLUMNS).where('confirm_token_hash', '=', hash).executeTakeFirst();
  return row ? toLetter(db, row) : null;
}

export type LetterChanges = Partial<{
  status: string;
  articleId: string | null;
  articleMethod: string | null;
  articleConfidence: number | null;
  editedBody: string | null;
  headline: string | null;
  displayName: string | null;
  confirmedAt: Date | null;
  consent: boolean;
  consentAt: Date | null;
  confirmTokenHash: string | null;
  assignedTo: string | null;
  scheduledAt: Date | null;
  publishedAt: Date | null;
  spamScore: number | null;
  spamReasons: string[];
  campaignId: string | null;
  flags: string[];
  meta: Record<string, unknown>;
}>;

/**
 * Writes changes to a letter. With `version`, the change is a new version of
 * the letter (the desk's actions): it is written only if the letter is still
 * at that version, and counts one up. Answers whether the row was written.
 */
export async function updateLetter(db: Db, id: string, c: LetterChanges, ex: Trx, version?: number): Promise<boolean> {
  return writeLetter(ex, id, columnsOf(db, c), version);
}

async function writeLetter(ex: Trx, id: string, set: Record<string, unknown>, version?: number): Promise<boolean> {
  let q = ex.updateTable('letters').set(set).where('id', '=', id);
  // Conditional on the version read: on PostgreSQL a concurrent change makes this wait, then find no row.
  if (version !== undefined) q = q.set((eb) => ({ version: eb('version', '+', 1) })).where('version', '=', version);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Each change's column and how it is stored. */
const CHANGED: { [K in keyof LetterChanges & string]-?: { column: string; kind: ColumnKind } } = {
  status: { column: 'status', kind: 'text' },
  articleId: { column: 'article_id', kind: 'text' },
  articleMethod: { column: 'article_method', kind: 'text' },
  articleConfidence: { column: 'article_confidence', kind: 'real' },
  editedBody: { column: 'edited_body', kind: 'text' },
  headline: { column: 'headline', kind: 'text' },
  displayName: { column: 'display_name', kind: 'text' },
  confirmedAt: { column: 'confirmed_at', kind: 'time' },
  consent: { column: 'consent', kind: 'bool' },
  consentAt: { column: 'consent_at', kind: 'time' },
  confirmTokenHash: { column: 'confirm_token_hash', kind: 'text' },
  assignedTo: { column: 'assigned_to', kind: 'text' },
  scheduledAt: { column: 'scheduled_at', kind: 'time' },
  publishedAt: { column: 'published_at', kind: 'time' },
  spamScore: { column: 'spam_score', kind: 'real' },
  spamReasons: { column: 'spam_reasons', kind: 'json' },
  campaignId: { column: 'campaign_id', kind: 'text' },
  flags: { column: 'flags', kind: 'json' },
  meta: { column: 'meta', kind: 'json' },
};

/** How each column a change writes is stored, `updated_at` with them. */
const KIND_OF_COLUMN = new Map<string, ColumnKind>([['updated_at', 'time'], ...Object.values(CHANGED).map((c) => [c.column, c.kind] as const)]);

/** The changes as stored column values, with the time of the change. */
function columnsOf(db: Db, c: LetterChanges): Record<string, unknown> {
  const set: Record<string, unknown> = { updated_at: db.dialect.time(new Date()) };
  for (const [field, v] of Object.entries(c)) {
    if (v === undefined) continue;
    const { column, kind } = CHANGED[field as keyof typeof CHANGED];
    set[column] = stored(db, kind, v);
  }
  return set;
}

function stored(db: Db, kind: ColumnKind, v: unknown): unknown {
  switch (kind) {
    case 'time':
      return db.dialect.timeOrNull(v as Date | null);
    case 'bool':
      return db.dialect.bool(v as boolean);
    case 'json':
      return db.dialect.json(v);
    default:
      return v;
  }
}

type LetterChange = { id: string; set: Record<string, unknown> };
/** A campaign relabelled (relabelCampaign): `ids` and the letters of the `merged` campaigns now carry `campaignId`. */
export type Relabel = { campaignId: string; ids: readonly string[]; merged: readonly string[] };
/** Whether a letter (by its id, or null) with this campaign takes the relabel's campaign. */
export function relabels(r: Relabel, id: string | null, campaign: unknown): boolean {
  return id === r.campaignId || (id !== null && r.ids.includes(id)) || (campaign !== null && r.merged.includes(campaign as string));
}
/** What waits for a round's end on letters' rows, in the order it was asked. */
type LetterWrite = LetterChange | { relabel: Relabel };

/**
 * Changes a letter without a version check. In an event processors' round,
 * at the round's end, with the round's other letters' changes: one statement
 * for the letters changed alike (a statement that reads or changes letters
 * in the round meanwhile writes them first: appendedNow).
 */
export async function changeLetter(db: Db, ex: Trx, id: string, c: LetterChanges): Promise<void> {
  const change: LetterChange = { id, set: columnsOf(db, c) };
  if (deferLetterWrite(db, ex, change)) return;
  await writeLetter(ex, id, change.set);
}

/**
 * The campaign `campaignId` takes in the letters `ids` and every letter of
 * the `merged` campaigns. In an event processors' round, at its end with the
 * round's letters' changes (as if each had been written when asked): a
 * campaign letter in every round relabelled its campaign, and each relabel
 * wrote the changes waiting before it, about five statements a round more
 * on PostgreSQL.
 */
export async function relabelCampaign(db: Db, ex: Trx, relabel: Relabel): Promise<void> {
  if (deferLetterWrite(db, ex, { relabel })) return;
  await writeLettersNow(db, ex, [{ relabel }]);
}

function deferLetterWrite(db: Db, ex: Trx, write: LetterWrite): boolean {
  return appendAtBatchEnd(ex, 'letters', 'letters|changes', [write], (trx, all) => writeLettersNow(db, trx, all as LetterWrite[]));
}

/**
 * The writes in three statements or so, with the outcome of writing them one
 * by one in order: first the campaigns merged (by the letters' campaign),
 * then the letters relabelled by id, then the changes, each a change written
 * after a relabel or made to carry the relabels that followed it.
 */
async function writeLettersNow(db: Db, ex: Trx, writes: LetterWrite[]): Promise<void> {
  // A letter changed twice: its changes in order, as one.
  const byLetter = new Map<string, Record<string, unknown>>();
  /** Campaign → the campaign its letters now belong to; letter → its campaign, for the relabelled by id. */
  const merges = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const w of writes) {
    if ('set' in w) {
      byLetter.set(w.id, { ...byLetter.get(w.id), ...w.set });
      continue;
    }
    const r = w.relabel;
    const { campaignId } = r;
    for (const [from, to] of merges) if (relabels(r, null, to)) merges.set(from, campaignId);
    for (const from of r.merged) if (!merges.has(from)) merges.set(from, campaignId);
    for (const [id, campaign] of byId) if (relabels(r, id, campaign)) byId.set(id, campaignId);
    for (const id of [campaignId, ...r.ids]) byId.set(id, campaignId);
    for (const [id, set] of byLetter) if ('campaign_id' in set && relabels(r, id, set.campaign_id)) set.campaign_id = campaignId;
  }
  // A letter both relabelled and changed is written once, by its changes
  // (which come last): a change that sets its campaign already holds the
  // final one; one that does not takes the relabel's. On PostgreSQL every
  // write of a letter is a new version of the whole row, most often in every
  // index again: at a campaign's pace the relabel was the round's costliest
  // statement (22 ms for 100 letters, when the search vector was in the row).
  for (const [id, set] of byLetter) {
    const relabelled = byId.get(id);
    if (relabelled === undefined) continue;
    if (!('campaign_id' in set)) set.campaign_id = relabelled;
    byId.delete(id);
  }
  const campaign = [{ name: 'campaign_id', kind: 'text' as const }];
  // A campaign merged back into itself (A into B, then B into A) stays.
  const remaining = [...merges].flatMap(([key, to]) => (key === to ? [] : [{ key, values: [to] }]));
  await db.dialect.updateByKey(ex, 'letters', 'campaign_id', campaign, remaining);
  await db.dialect.updateByKey(ex, 'letters', 'id', campaign, [...byId].map(([key, to]) => ({ key, values: [to] })), true);
  const alike = new Map<string, { columns: string[]; rows: { key: string; values: unknown[] }[] }>();
  for (const [id, set] of byLetter) {
    const columns = Object.keys(set).sort();
    const shape = columns.join(',');
    if (!alike.has(shape)) alike.set(shape, { columns, rows: [] });
    alike.get(shape)!.rows.push({ key: id, values: columns.map((c) => set[c]) });
  }
  for (const { columns, rows } of alike.values()) {
    const typed = columns.map((name) => ({ name, kind: KIND_OF_COLUMN.get(name)! }));
    for (let at = 0; at < rows.length; at += 100) await db.dialect.updateByKey(ex, 'letters', 'id', typed, rows.slice(at, at + 100));
  }
}

export type LetterFilter = {
  status?: string[];
  articleId?: string;
  unmatched?: boolean;
  campaignId?: string;
  writerId?: string;
  q?: string;
  /** Page after this id (ids are time-ordered); newest first. */
  before?: string;
  /** Oldest first (the cursor then pages forward); newest first by default. */
  oldestFirst?: boolean;
  limit: number;
};

/** How many of the newest letters a search checks one by one before it asks the whole index. */
export const SEARCH_WINDOW = 2000;

/**
 * The letters a filter lists. `recheck`: the caller names the rows already
 * (by their search positions), and the filter only checks them, through no
 * index: SQLite without statistics walked every letter in the status
 * (letters_status_id) to find a page of fifty picked by position, 46 ms at
 * 400,000 letters against 1.2 ms by position.
 */
function lettersListed(db: Db, from: Reader, f: LetterFilter, recheck = false) {
  const col = (c: 'status' | 'article_id' | 'campaign_id' | 'writer_id' | 'id') => (recheck ? db.dialect.unindexed(`letters.${c}`) : sql.ref<string>(`letters.${c}`));
  let q = from.selectFrom('letters');
  if (f.status?.length) q = q.where(col('status'), 'in', f.status);
  if (f.articleId) q = q.where(col('article_id'), '=', f.articleId);
  if (f.unmatched) q = q.where(col('article_id'), 'is', null);
  if (f.campaignId) q = q.where(col('campaign_id'), '=', f.campaignId);
  if (f.writerId) q = q.where(col('writer_id'), '=', f.writerId);
  if (f.before) q = q.where(col('id'), f.oldestFirst ? '>' : '<', f.before);
  return q;
}

/** A page of the listing: its letters in id order (newest first unless oldestFirst). */
function listedPage(q: ReturnType<typeof lettersListed>, f: LetterFilter, limit: number) {
  return q.select(LETTER_COLUMNS.map((c) => `letters.${c}` as const)).orderBy('letters.id', f.oldestFirst ? 'asc' : 'desc').limit(limit);
}

/** A search's page read by the positions its walk of the index picked (SQLite), the filter re-checked. */
export function searchPageByPositions(db: Db, ex: Reader, f: LetterFilter, picked: number[]) {
  return listedPage(lettersListed(db, ex, f, true).where(db.dialect.searchPosition, 'in', picked), f, f.limit);
}

/**
 * The queue: newest first, paged by id so deep pages stay as fast as the
 * first. A search first checks the newest SEARCH_WINDOW letters of the
 * listing one by one (a common word fills the page there, without ranking
 * or sorting every letter that has it); only when the page is not full
 * does it ask the whole index, below the window (a rare word: few entries).
 */
export async function listLetters(db: Db, f: LetterFilter): Promise<Letter[]> {
  const listing = (from: Reader) => lettersListed(db, from, f);
  const dir = f.oldestFirst ? 'asc' : 'desc';
  const rowsOf = async (q: ReturnType<typeof listing>, limit: number) => (await listedPage(q, f, limit).execute()).map((r) => toLetter(db, r));
  const everywhere = f.q ? db.dialect.letterMatches(f.q) : null;
  if (!f.q || !everywhere) return rowsOf(listing(db.read), f.limit);

  const window = await listing(db.read).select(['letters.id', db.dialect.searchPosition.as('pos')]).orderBy('letters.id', dir).limit(SEARCH_WINDOW).execute();
  if (!window.length) return [];
  const first = window[0]!.id;
  const last = window[window.length - 1]!.id;
  const positions = window.map((w) => Number(w.pos));
  const range = { lo: Math.min(...positions), hi: Math.max(...positions) };
  // Letters are stored in the order of their ids (intake), so the window's
  // positions usually fall as its ids do: then the index, walked in position
  // order, gives the page's letters first and stops there (a common word no
  // longer collects its every match in the window). Otherwise (a restore, a
  // clock set back) every match in the window is read and sorted by id.
  const inOrder = positions.every((p, i) => i === 0 || (f.oldestFirst ? p > positions[i - 1]! : p < positions[i - 1]!));
  const walk = inOrder ? db.dialect.matchingPositions(db.read, f.q, range, !!f.oldestFirst) : null;
  let found: Letter[];
  if (walk) {
    const wanted = new Set(positions);
    const picked: number[] = [];
    for await (const pos of walk) if (wanted.has(pos) && picked.push(pos) === f.limit) break;
    found = picked.length ? (await searchPageByPositions(db, db.read, f, picked).execute()).map((r) => toLetter(db, r)) : [];
  } else {
    const within = db.dialect.letterMatches(f.q, range)!;
    const [lo, hi] = f.oldestFirst ? [first, last] : [last, first];
    found = await rowsOf(listing(db.read).where('letters.id', '>=', lo).where('letters.id', '<=', hi).where(within), f.limit);
  }
  if (found.length === f.limit || window.length < SEARCH_WINDOW) return found;
  const rest = await rowsOf(listing(db.read).where('letters.id', f.oldestFirst ? '>' : '<', last).where(everywhere), f.limit - found.length);
  return [...found, ...rest];
}
