// Everywhere SQLite and PostgreSQL differ, in one module: how values are
// stored (time as ISO text or timestamptz, booleans as 0/1 or boolean, JSON as
// text or jsonb), column types for migrations, how a write transaction begins,
// what a unique violation looks like, transaction locks, the UTC day of a
// time, and full-text search (an FTS5 table or a tsvector column). Nothing
// outside this file asks which database it is on.
import { CompiledQuery, sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { atBatchEnd } from './batch.ts';
import { inChunks } from './chunks.ts';
import type { Reader, Trx } from './executor.ts';

export type DialectName = 'sqlite' | 'postgres';

/** How a column stores its values (see the value functions below): what a changed value is typed as. */
export type ColumnKind = 'text' | 'time' | 'bool' | 'json' | 'real';

export type Dialect = {
  readonly name: DialectName;

  // --- values, on the way in and out ---------------------------------------
  time(d: Date): string | Date;
  timeOrNull(d: Date | null | undefined): string | Date | null;
  readTime(v: unknown): Date;
  readTimeOrNull(v: unknown): Date | null;
  bool(b: boolean): number | boolean;
  readBool(v: unknown): boolean;
  json(v: unknown): string;
  readJson<T>(v: unknown, fallback: T): T;
  readInt(v: unknown): number;

  // --- schema ---------------------------------------------------------------
  readonly columns: { time: Expression<unknown>; bool: Expression<unknown>; json: Expression<unknown>; real: Expression<unknown>; bytes: Expression<unknown>; serial: Expression<unknown> };
  /** Whether a `serial` primary key needs AUTOINCREMENT (SQLite) to never reuse a position. */
  readonly serialNeedsAutoincrement: boolean;
  /**
   * The most events an event processors' round takes (events/dispatcher.ts).
   * SQLite has one writer: a round holds it, and letters arriving meanwhile
   * wait, so rounds stay small. On PostgreSQL nothing waits on a round, and
   * its twenty-odd statements are round trips whatever its size: under 500
   * letters a second, rounds of 25 fell behind (p99 to screened 5 s, backlog
   * growing) where rounds of up to 100 kept up (0.8 s).
   */
  readonly eventsPerRound: number;
  /**
   * How many rows a merged insert puts in one statement, largest first
   * (insert-rows.ts). SQLite: a few fixed sizes, so that a few statements
   * stay prepared. PostgreSQL prepares none and each statement is a round
   * trip: any number up to 200 in one (a batch of 23 letters took four).
   */
  readonly insertSizes: 'fixed' | 'any';
  /** Creates the letters' full-text index (migration 0001). */
  createLetterSearch(db: Kysely<any>): Promise<void>;
  /** Makes the full-text index's vocabulary readable (SQLite: an fts5vocab table; migration 0950). */
  createSearchTerms(db: Kysely<any>): Promise<void>;
  /**
   * Creates the triggers that keep `letter_counts` in step with every insert,
   * delete and change of status, article or campaign of a letter, in the
   * statement that made it (migration 0900).
   */
  createLetterCounters(db: Kysely<any>): Promise<void>;
  /** Folds counter rows that no running connection writes any more into one row per key, and drops rows that count nothing. */
  foldLetterCounts(ex: Trx): Promise<void>;

  // --- statements -----------------------------------------------------------
  /** Begins a write transaction. SQLite's IMMEDIATE takes the write lock at once: a transaction that first read and then found another connection's newer commit could not write at all. */
  readonly beginWrite: RawBuilder<unknown>;
  isUniqueViolation(err: unknown): boolean;
  /** Serialises transactions that take the same `key` until they end (PostgreSQL); SQLite has one writer already. */
  lockForTransaction(ex: Trx, key: number): Promise<void>;
  /**
   * Rows a transaction claims to work on: on PostgreSQL they stay locked
   * until it ends and other nodes skip them; SQLite's write transaction has
   * the whole database to itself already.
   */
  claimRows<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** The UTC day (YYYY-MM-DD) of a time column, as text. */
  utcDay(column: string): RawBuilder<string>;
  /**
   * A text column as a condition checks it, row by row, without finding rows
   * through an index that starts with it: for conditions that re-check rows
   * found by their keys. Without statistics (SQLite: nothing runs ANALYZE;
   * PostgreSQL: a table that grew since autovacuum last looked), both
   * databases planned `id in (…50 ids) and status = 'pending'` as a walk
   * over every pending mail in outbox_due instead of 50 lookups: under a
   * burst, the more mail waited, the slower each delivery went.
   */
  unindexed(column: string): RawBuilder<unknown>;
  /**
   * Changes many rows in one statement: each row's `values` (already in the
   * stored form) go to `columns`, in the row whose `key` column is `key`.
   * `onlyChanged`: rows that hold those values already are left alone (no
   * new row version, no trigger: the letters' counters).
   */
  updateByKey(ex: Trx, table: string, key: string, columns: readonly { name: string; kind: ColumnKind }[], rows: readonly { key: string; values: readonly unknown[] }[], onlyChanged?: boolean): Promise<void>;
  /**
   * One statement that inserts rows into several tables, its parameters the
   * rows' values part by part, row by row, column by column; null where a
   * statement costs no round trip (SQLite: each table's own statements).
   */
  readonly insertsTogether: ((parts: readonly { table: string; columns: readonly string[]; rows: number }[]) => string) | null;

  // --- full-text search over letters -----------------------------------------
  /** Indexes new letters' texts, after their rows were inserted. */
  indexNewLetters(ex: Trx, letters: readonly { id: string; text: string }[]): Promise<void>;
  /** Indexes a letter's changed text in place of what was indexed. */
  indexLetterText(ex: Trx, letterId: string, text: string): Promise<void>;
  removeLetterText(ex: Trx, letterId: string): Promise<void>;
  /**
   * A condition that a letter matches a search query, or null when it has no
   * words. `within`: the letters asked about are the few at these positions
   * (`searchPosition` lo..hi), so the check may be made row by row; without
   * it the condition asks the whole index (for a rare word).
   */
  letterMatches(q: string, within?: { lo: number; hi: number }): Expression<SqlBool> | null;
  /**
   * The positions (`searchPosition`) of the letters that match `q` within
   * lo..hi, in position order (highest first unless `ascending`), read from
   * the index as the caller takes them: a caller that stops early stops the
   * index. Null where the index has no positions to walk (PostgreSQL) or the
   * query no words.
   */
  matchingPositions(ex: Reader, q: string, within: { lo: number; hi: number }, ascending: boolean): AsyncIterable<number> | null;
  /** A letter's position in the search index (SQLite: its rowid, which its index entry shares), or null where a row is checked on its own (PostgreSQL). */
  readonly searchPosition: RawBuilder<number | null>;
  /** Gives existing index entries their letter's position (migration 0901). */
  linkLetterSearch(db: Kysely<any>): Promise<void>;
  /** Moves the search index out of the letters' rows into a table of its own, where it is not already (migration 0990). */
  separateLetterSearch(db: Kysely<any>): Promise<void>;
  /**
   * On opening: links the index entries again if letters' positions moved
   * under them (SQLite's VACUUM may renumber rowids), so that search never
   * finds the wrong letters. Checks the newest entries only: a VACUUM moves
   * every letter after the first gap that deletions left.
   */
  repairLetterSearch(db: Kysely<any>): Promise<void>;

  // --- archives (backup, restore, moving between databases) ------------------
  /**
   * The tables an archive carries, parents before the tables that reference
   * them, with their columns and types; the search index's own tables (and,
   * in an older schema, columns) are left out (a restore rebuilds them) and
   * so is the migrator's bookkeeping.
   */
  archiveTables(k: Kysely<any>): Promise<ArchiveTable[]>;
  /** Begins a read-only transaction that sees one consistent moment of the whole database. */
  readonly beginSnapshot: RawBuilder<unknown>;
  /** A value read from a column of `type`, as an archive keeps it (plain JSON; bytes as base64). */
  toArchive(type: string, v: unknown): ArchiveValue;
  /** An archived value, ready to insert into a column of `type`. */
  fromArchive(type: string, v: ArchiveValue): unknown;
  /** Rebuilds restored letters' search entries (their rows are in; the index is empty). */
  indexRestoredLetters(ex: Trx, rows: { id: string; text: string }[]): Promise<void>;
  /** After rows were inserted with their own positions: counters continue after them. */
  afterRestore(ex: Trx, tables: ArchiveTable[]): Promise<void>;
  /** Drops every table (a forced restore into a database that has data). */
  dropAll(k: Kysely<any>): Promise<void>;
};

export type ArchiveColumn = { name: string; type: string };
export type ArchiveTable = { name: string; columns: ArchiveColumn[] };
/** How an archive keeps a value: JSON, with bytes as `{ b64 }`. */
export type ArchiveValue = string | number | boolean | null | { b64: string };

/**
 * Tables an archive leaves out: the migrator's bookkeeping, and the queue's
 * counters (derived from the letters; a restore counts them again).
 */
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock', 'letter_counts']);

/** Parents first: a table comes after every table it references (self-references aside). */
function parentsFirst(names: string[], references: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string) => {
    if (state.get(t) === 'done' || state.get(t) === 'visiting') return;
    state.set(t, 'visiting');
    for (const parent of [...(references.get(t) ?? [])].sort()) if (parent !== t && names.includes(parent)) visit(parent);
    state.set(t, 'done');
    out.push(t);
  };
  for (const t of [...names].sort()) visit(t);
  return out;
}

const bytesToArchive = (v: unknown): ArchiveValue => ({ b64: Buffer.from(v as Uint8Array).toString('base64') });
const isBytes = (v: ArchiveValue): v is { b64: string } => typeof v === 'object' && v !== null;

/** A value as read, in the archive's terms: times as ISO text, JSON as text, bytes as base64. */
function commonToArchive(v: unknown): ArchiveValue {
  if (v == null) return null;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return bytesToArchive(v);
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** An FTS5 query: every word of `q`, each as a prefix (a word finds its longer forms too), or null for none. */
function ftsMatch(q: string): string | null {
  const words = queryWords(q);
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' ');
}

/** Beyond this many longer words a prefix is left to FTS5 (a short one like "co" names hundreds). */
const MOST_WORDS_OF_PREFIX = 50;

/**
 * One query word for FTS5 as the words of the index it stands for: itself
 * and the longer words that begin with it, named (`("council" OR
 * "councils")`), which FTS5 reads lazily, newest first, instead of merging
 * every such word's whole list as it does for `"council"*`; the same
 * letters match. Only for plain ASCII words of three characters or more:
 * the index folds case and diacritics (unicode61), and for [a-z0-9] its form
 * is the word itself; shorter ones start too many words to name.
 */
async function wordsOfPrefix(k: Kysely<any>, w: string): Promise<string> {
  if (!/^[a-z0-9]{3,}$/.test(w)) return `"${w}"*`;
  // Every longer word: above w + U+0001 (no token holds a control character),
  // below w + U+10FFFF (no token holds it either), compared byte by byte.
  const longer = await k
    .selectFrom('letters_fts_terms')
    .select('term')
    .where('term', '>=', `${w}\u0001`)
    .where('term', '<', `${w}\u{10FFFF}`)
    .limit(MOST_WORDS_OF_PREFIX + 1)
    .execute();
  if (longer.length > MOST_WORDS_OF_PREFIX) return `"${w}"*`;
  return `(${[w, ...longer.map((t) => String(t.term))].map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ')})`;
}

/** Words of the user's query, each matched as a word prefix; operators are not exposed. */
export function queryWords(q: string): string[] {
  return (q.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'string') return new Date(v.endsWith('Z') || v.includes('+') ? v : `${v}Z`);
  if (typeof v === 'number') return new Date(v);
  throw new Error(`not a time value: ${String(v)}`);
}

// Rows written together carry the same few instants: each is formatted once.
let lastMs = Number.NaN;
let lastIso = '';
function iso(d: Date): string {
  const ms = d.getTime();
  if (ms !== lastMs) {
    lastIso = d.toISOString();
    lastMs = ms;
  }
  return lastIso;
}

function readJson<T>(v: unknown, fallback: T): T {
  if (v == null) return fallback;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return fallback;
    }
  }
  return v as T;
}

/** What both dialects read and write alike. */
const common = {
  readTime: toDate,
  readTimeOrNull: (v: unknown) => (v == null ? null : toDate(v)),
  readBool: (v: unknown) => v === true || v === 1 || v === 1n || v === '1' || v === 't',
  // pg serialises a JS string parameter as-is, so JSON goes in as text for both.
  json: (v: unknown) => JSON.stringify(v ?? null),
  readJson,
  readInt: (v: unknown) => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number.parseInt(v, 10) : Number(v ?? 0)),
};

/** An identifier, quoted for SQL. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * UPDATE … FROM (VALUES …), which both databases take; VALUES names its
 * columns column1, column2… in both. `typed`: a value as a parameter of its
 * column's type (PostgreSQL types an untyped VALUES column as text).
 * `distinct`: the dialect's null-safe "differs" operator.
 */
function updateFromValues(typed: (v: unknown, kind: ColumnKind) => RawBuilder<unknown>, distinct: string): Dialect['updateByKey'] {
  return async (ex, table, key, columns, rows, onlyChanged = false) => {
    if (!rows.length) return;
    const values = rows.map((r) => sql`(${sql.join([sql`${r.key}`, ...r.values.map((v, i) => typed(v, columns[i]!.kind))])})`);
    const column = (i: number) => sql.raw(`v.column${i + 2}`);
    const set = columns.map((c, i) => sql`${sql.ref(c.name)} = ${column(i)}`);
    const changed = columns.map((c, i) => sql`${sql.ref(`${table}.${c.name}`)} ${sql.raw(distinct)} ${column(i)}`);
    const only = onlyChanged ? sql` and (${sql.join(changed, sql` or `)})` : sql``;
    await sql`update ${sql.table(table)} set ${sql.join(set)} from (values ${sql.join(values)}) as v where ${sql.ref(`${table}.${key}`)} = v.column1${only}`.execute(ex);
  };
}

/**
 * A letter's text into SQLite's full-text index, at the end of a group
 * commit's batch: FTS5 keeps new entries in memory until a commit or a
 * savepoint, and writing them out per letter (every savepoint, and every
 * statement that opens one) cost more than the rest of a letter's inserts.
 * The entry's rowid is the letter's (migration 0901): the queue's search
 * checks a window of letters by it, and an entry is found again by it
 * (letter_id is not indexed). `fresh`: the letter has no entry yet.
 */
async function indexInFts(ex: Trx, letterId: string, text: string, fresh: boolean): Promise<void> {
  await atBatchEnd(ex, async (trx) => {
    if (!fresh) await trx.executeQuery(CompiledQuery.raw('delete from letters_fts where rowid = (select rowid from letters where id = ?)', [letterId]));
    await trx.executeQuery(CompiledQuery.raw('insert into letters_fts (rowid, letter_id, text) select rowid, id, ? from letters where id = ?', [text, letterId]));
  });
}

export const sqlite: Dialect = {
  name: 'sqlite',
  ...common,
  // ISO 8601 with milliseconds in UTC sorts correctly as text.
  time: iso,
  timeOrNull: (d) => (d == null ? null : iso(d)),
  bool: (b) => (b ? 1 : 0),
  columns: { time: sql`text`, bool: sql`integer`, json: sql`text`, real: sql`real`, bytes: sql`blob`, serial: sql`integer` },
  serialNeedsAutoincrement: true,
  eventsPerRound: 25,
  insertSizes: 'fixed',
  async createLetterSearch(db) {
    await sql`create virtual table letters_fts using fts5(letter_id unindexed, text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  },
  async createSearchTerms(db) {
    // The index's words, one row each (a view of its lists; nothing is stored).
    await sql`create virtual table letters_fts_terms using fts5vocab(letters_fts, 'row')`.execute(db);
  },
  async createLetterCounters(db) {
    // One writer at a time: every change counts in the one slot, 0. A letter
    // counts under its article ('' for none) and, in a campaign, under it too.
    const add = (row: 'new' | 'old', d: 1 | -1) => {
      const put = (dimension: string, key: string) =>
        `insert into letter_counts (slot, dimension, key, status, n) select 0, '${dimension}', ${key}, ${row}.status, ${d} where ${key} is not null
          on conflict (slot, dimension, key, status) do update set n = n + ${d};`;
      return sql.raw(put('article', `coalesce(${row}.article_id, '')`) + put('campaign', `${row}.campaign_id`));
    };
    await sql`create trigger letter_counts_insert after insert on letters begin ${add('new', 1)} end`.execute(db);
    await sql`create trigger letter_counts_delete after delete on letters begin ${add('old', -1)} end`.execute(db);
    await sql`create trigger letter_counts_update after update of status, article_id, campaign_id on letters
      when old.status is not new.status or old.article_id is not new.article_id or old.campaign_id is not new.campaign_id
      begin ${add('old', -1)} ${add('new', 1)} end`.execute(db);
  },
  async foldLetterCounts(ex) {
    await sql`delete from letter_counts where n = 0`.execute(ex);
  },
  beginWrite: sql`begin immediate`,
  isUniqueViolation: (err) => /UNIQUE constraint failed/i.test((err as { message?: string })?.message ?? ''),
  lockForTransaction: async () => {},
  claimRows: (qb) => qb,
  updateByKey: updateFromValues((v) => sql`${v}`, 'is not'),
  insertsTogether: null,
  utcDay: (column) => sql<string>`substr(${sql.ref(column)}, 1, 10)`,
  // Unary plus is SQLite's way to keep a term from choosing an index; it changes no value.
  unindexed: (column) => sql`+${sql.ref(column)}`,
  async indexNewLetters(ex, letters) {
    for (const l of letters) await indexInFts(ex, l.id, l.text, true);
  },
  indexLetterText: (ex, letterId, text) => indexInFts(ex, letterId, text, false),
  async removeLetterText(ex, letterId) {
    await sql`delete from letters_fts where rowid = (select rowid from letters where id = ${letterId})`.execute(ex);
  },
  letterMatches(q, within) {
    const match = ftsMatch(q);
    if (match === null) return null;
    // Within a window, FTS5 reads only that stretch of each word's list.
    if (within) return sql<SqlBool>`letters.rowid in (select rowid from letters_fts where letters_fts match ${match} and rowid between ${within.lo} and ${within.hi})`;
    return sql<SqlBool>`letters.rowid in (select rowid from letters_fts where letters_fts match ${match})`;
  },
  matchingPositions(ex, q, within, ascending) {
    const words = queryWords(q);
    if (words.length === 0) return null;
    // With the rowid order asked of the index itself (FTS5 walks its lists
    // either way) and no sort after it, the statement is stepped only as far
    // as the caller reads: a common word is not collected in full.
    const k = ex as unknown as Kysely<any>;
    return (async function* () {
      const match = (await Promise.all(words.map((w) => wordsOfPrefix(k, w)))).join(' AND ');
      const rows = k
        .selectFrom('letters_fts')
        .select(sql<number>`rowid`.as('pos'))
        .where(sql<SqlBool>`letters_fts match ${match}`)
        .where(sql`rowid`, '>=', within.lo)
        .where(sql`rowid`, '<=', within.hi)
        .orderBy(sql`rowid`, ascending ? 'asc' : 'desc')
        .stream();
      for await (const r of rows) yield Number(r.pos);
    })();
  },
  searchPosition: sql<number>`letters.rowid`,
  async repairLetterSearch(db) {
    const moved = await sql<{ n: number }>`select count(*) as n from (select f.letter_id, l.id from letters_fts f left join letters l on l.rowid = f.rowid order by f.rowid desc limit 200) where id is null or id <> letter_id`.execute(db);
    if (Number(moved.rows[0]?.n ?? 0) > 0) await this.linkLetterSearch(db);
  },
  // FTS5 is a table of its own already.
  separateLetterSearch: async () => {},
  async linkLetterSearch(db) {
    await sql`create temp table letters_fts_old as select letter_id, text from letters_fts`.execute(db);
    await sql`delete from letters_fts`.execute(db);
    await sql`insert into letters_fts (rowid, letter_id, text) select l.rowid, o.letter_id, o.text from letters_fts_old o join letters l on l.id = o.letter_id`.execute(db);
    await sql`drop table letters_fts_old`.execute(db);
  },
  async archiveTables(k) {
    const master = (await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(k)).rows;
    // A virtual table (the full-text index) and the shadow tables it keeps its data in.
    const virtual = master.filter((t) => /^create virtual table/i.test(t.sql ?? '')).map((t) => t.name);
    const skip = (name: string) => MIGRATOR_TABLES.has(name) || virtual.some((v) => name === v || name.startsWith(`${v}_`));
    const names = master.map((t) => t.name).filter((n) => !skip(n));
    const tables = new Map<string, ArchiveTable>();
    const references = new Map<string, Set<string>>();
    for (const name of names) {
      const cols = (await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${name}) order by cid`.execute(k)).rows;
      tables.set(name, { name, columns: cols.map((c) => ({ name: c.name, type: c.type.toLowerCase() })) });
      const fks = (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(k)).rows;
      references.set(name, new Set(fks.map((f) => f.table)));
    }
    return parentsFirst(names, references).map((n) => tables.get(n)!);
  },
  // Deferred: the snapshot is taken at the first read and holds until the end.
  beginSnapshot: sql`begin deferred`,
  toArchive: (_type, v) => commonToArchive(v),
  fromArchive(type, v) {
    if (isBytes(v)) return Buffer.from(v.b64, 'base64');
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v;
  },
  async indexRestoredLetters(ex, rows) {
    for (let i = 0; i < rows.length; i += 400) {
      const chunk = rows.slice(i, i + 400);
      await sql`insert into letters_fts (rowid, letter_id, text) select l.rowid, l.id, v.column2 from letters l join (values ${sql.join(chunk.map((r) => sql`(${r.id}, ${r.text})`))}) as v on l.id = v.column1`.execute(ex);
    }
  },
  // AUTOINCREMENT keeps the largest position it saw, inserted ones included.
  afterRestore: async () => {},
  async dropAll(k) {
    const master = (await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(k)).rows;
    await sql`pragma foreign_keys = off`.execute(k);
    try {
      // Virtual tables first: dropping one drops its shadow tables.
      const virtual = master.filter((t) => /^create virtual table/i.test(t.sql ?? ''));
      for (const t of virtual) await sql`drop table if exists ${sql.id(t.name)}`.execute(k);
      for (const t of master) if (!virtual.includes(t)) await sql`drop table if exists ${sql.id(t.name)}`.execute(k);
    } finally {
      await sql`pragma foreign_keys = on`.execute(k);
    }
  },
};

/** The advisory lock folds of the counters take (any number no other lock uses). */
const FOLD_LOCK = 90_001;

const tsvector = (text: string) => sql`to_tsvector('simple', ${text})`;

/** New letters' search vectors, a statement a chunk (their ids and texts as two arrays). */
async function insertSearchVectors(ex: Trx, letters: readonly { id: string; text: string }[]): Promise<void> {
  await inChunks(letters, async (chunk) => {
    await sql`insert into letter_search (letter_id, search_vector)
      select id, to_tsvector('simple', text) from unnest(${chunk.map((l) => l.id)}::text[], ${chunk.map((l) => l.text)}::text[]) as v(id, text)`.execute(ex);
  });
}

export const postgres: Dialect = {
  name: 'postgres',
  ...common,
  time: (d) => d,
  timeOrNull: (d) => d ?? null,
  bool: (b) => b,
  columns: { time: sql`timestamptz`, bool: sql`boolean`, json: sql`jsonb`, real: sql`double precision`, bytes: sql`bytea`, serial: sql`bigserial` },
  serialNeedsAutoincrement: false,
  eventsPerRound: 100,
  insertSizes: 'any',
  async createLetterSearch(db) {
    await sql`alter table letters add column search_vector tsvector`.execute(db);
    await sql`create index letters_search on letters using gin (search_vector)`.execute(db);
  },
  createSearchTerms: async () => {},
  async createLetterCounters(db) {
    // Statement triggers over transition tables: a statement that changes
    // many letters (a restore, a campaign relabelled) adds its changes up
    // once. Each connection counts in its own slot (its backend's pid), so
    // two transactions never wait on, or deadlock over, one counter row;
    // foldLetterCounts later folds the slots into slot 0 (the rows no transaction holds).
    const change = (rows: string) => sql.raw(`
      insert into letter_counts (slot, dimension, key, status, n)
      select pg_backend_pid(), dimension, key, status, sum(d) from (${rows}) as changed(dimension, key, status, d)
      where key is not null group by dimension, key, status having sum(d) <> 0 order by dimension, key, status
      on conflict (slot, dimension, key, status) do update set n = letter_counts.n + excluded.n`);
    // A letter counts under its article ('' for none) and, in a campaign, under it too.
    const rowsOf = (table: string, d: 1 | -1) =>
      `select 'article', coalesce(article_id, ''), status, ${d} from ${table} union all select 'campaign', campaign_id, status, ${d} from ${table}`;
    // Or replace: a forced restore drops the tables, not the functions.
    const fn = async (name: string, body: RawBuilder<unknown>) =>
      sql`create or replace function ${sql.raw(name)}() returns trigger language plpgsql as $$ begin ${body}; return null; end $$`.execute(db);
    await fn('letter_counts_inserted', change(rowsOf('new_rows', 1)));
    await fn('letter_counts_deleted', change(rowsOf('old_rows', -1)));
    await fn('letter_counts_updated', change(`${rowsOf('old_rows', -1)} union all ${rowsOf('new_rows', 1)}`));
    await sql`create trigger letter_counts_insert after insert on letters referencing new table as new_rows for each statement execute function letter_counts_inserted()`.execute(db);
    await sql`create trigger letter_counts_delete after delete on letters referencing old table as old_rows for each statement execute function letter_counts_deleted()`.execute(db);
    await sql`create trigger letter_counts_update after update on letters referencing old table as old_rows new table as new_rows for each statement execute function letter_counts_updated()`.execute(db);
  },
  async foldLetterCounts(ex) {
    // Every slot's rows that no transaction holds: a live connection's rows
    // may be locked by its transaction, and waiting for them here could
    // deadlock with it, so they are skipped (the next fold takes them). Live
    // connections' rows are folded too: a pool's connections live as long as
    // the node, and the rows they leave summing to nothing would otherwise
    // pile up under the queue's reads by status (a campaign's letters all
    // come into "new" through one connection and leave it through another).
    // A connection's next change to a folded row makes it again.
    // Slot 0 is written by folds alone, one at a time.
    await sql`select pg_advisory_xact_lock(${FOLD_LOCK})`.execute(ex);
    await sql`with gone as (
        delete from letter_counts where (slot, dimension, key, status) in (
          select slot, dimension, key, status from letter_counts where slot <> 0 for update skip locked)
        returning dimension, key, status, n)
      insert into letter_counts (slot, dimension, key, status, n)
      select 0, dimension, key, status, sum(n) from gone group by dimension, key, status order by 2, 3, 4
      on conflict (slot, dimension, key, status) do update set n = letter_counts.n + excluded.n`.execute(ex);
    await sql`delete from letter_counts where slot = 0 and n = 0`.execute(ex);
  },
  beginWrite: sql`begin`,
  isUniqueViolation: (err) => (err as { code?: string })?.code === '23505',
  async lockForTransaction(ex, key) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(ex);
  },
  claimRows: (qb) => qb.forUpdate().skipLocked(),
  updateByKey: updateFromValues((v, kind) => sql`cast(${v} as ${kind === 'text' ? sql`text` : postgres.columns[kind]})`, 'is distinct from'),
  insertsTogether(parts) {
    // Writable CTEs: every insert runs, in one statement (a row's foreign key is checked at its end).
    let n = 0;
    const inserts = parts.map((p) => {
      const row = () => `(${p.columns.map(() => `$${++n}`).join(', ')})`;
      return `insert into ${quoted(p.table)} (${p.columns.map(quoted).join(', ')}) values ${Array.from({ length: p.rows }, row).join(', ')}`;
    });
    const before = inserts.slice(0, -1).map((q, i) => `i${i} as (${q})`);
    return `${before.length ? `with ${before.join(', ')} ` : ''}${inserts.at(-1)}`;
  },
  utcDay: (column) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`,
  // An expression over the column, which no index has.
  unindexed: (column) => sql`(${sql.ref(column)} || '')`,
  // The search vectors are in a table of their own (migration 0990), so
  // that a letter's changes (screening's verdict, every editor's action)
  // never touch its GIN index: a change that cannot stay on the row's page
  // writes every index of the row again, and GIN takes an entry per word.
  indexNewLetters: (ex, letters) => insertSearchVectors(ex, letters),
  async indexLetterText(ex, letterId, text) {
    // From the letter's row: a letter gone meanwhile gets no entry.
    await sql`insert into letter_search (letter_id, search_vector) select id, ${tsvector(text)} from letters where id = ${letterId}
      on conflict (letter_id) do update set search_vector = excluded.search_vector`.execute(ex);
  },
  // Before the letter's row goes: the table has no foreign key to cascade (separateLetterSearch).
  async removeLetterText(ex, letterId) {
    await sql`delete from letter_search where letter_id = ${letterId}`.execute(ex);
  },
  letterMatches(q, within) {
    const words = queryWords(q);
    if (words.length === 0) return null;
    const tsq = words.map((w) => `${w}:*`).join(' & ');
    // Row by row, each letter's vector read by its key: a correlated
    // subquery is never turned into a join that reads the GIN index whole.
    if (within) return sql<SqlBool>`(select s.search_vector from letter_search s where s.letter_id = letters.id) @@ to_tsquery('simple', ${tsq})`;
    // The matches read from the GIN index first, then fetched by id: inline
    // (or as IN), the planner guessed a prefix word common and walked every
    // letter newest first looking for a rare one.
    return sql<SqlBool>`letters.id = any(array(select letter_id from letter_search where search_vector @@ to_tsquery('simple', ${tsq})))`;
  },
  matchingPositions: () => null,
  searchPosition: sql<null>`null`,
  linkLetterSearch: async () => {},
  async separateLetterSearch(db) {
    // Letters read but not changed meanwhile: a change during the copy would be lost from search.
    await sql`lock table letters in share mode`.execute(db);
    // No foreign key to letters: its check locks each new letter's row (FOR
    // KEY SHARE), and end to end the vectors' insert took 34–45 ms for 64
    // letters with it, 10–14 ms without. A letter is deleted in one place
    // (deleteLetterRow), which removes its vector first; a test checks that
    // none outlives its letter after a random workload.
    await sql`create table letter_search (
      letter_id text primary key,
      search_vector tsvector not null)`.execute(db);
    await sql`insert into letter_search (letter_id, search_vector) select id, search_vector from letters where search_vector is not null`.execute(db);
    // Built after the copy: one sort, not an entry at a time.
    await sql`create index letter_search_vector on letter_search using gin (search_vector)`.execute(db);
    await sql`alter table letters drop column search_vector`.execute(db);
  },
  repairLetterSearch: async () => {},
  async archiveTables(k) {
    const cols = (
      await sql<{ table_name: string; column_name: string; udt_name: string }>`
        select table_name, column_name, udt_name from information_schema.columns
        where table_schema = current_schema() order by table_name, ordinal_position`.execute(k)
    ).rows;
    const fks = (
      await sql<{ child: string; parent: string }>`
        select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = current_schema()`.execute(k)
    ).rows;
    const tables = new Map<string, ArchiveTable>();
    for (const c of cols) {
      // The search index (a restore rebuilds it): its table, and before
      // migration 0990 the letters' column (the letters themselves are kept).
      if (MIGRATOR_TABLES.has(c.table_name) || c.table_name === 'letter_search' || c.udt_name === 'tsvector') continue;
      let t = tables.get(c.table_name);
      if (!t) tables.set(c.table_name, (t = { name: c.table_name, columns: [] }));
      t.columns.push({ name: c.column_name, type: c.udt_name });
    }
    const references = new Map<string, Set<string>>();
    for (const f of fks) {
      const child = f.child.replace(/^"|"$/g, '');
      if (!references.has(child)) references.set(child, new Set());
      references.get(child)!.add(f.parent.replace(/^"|"$/g, ''));
    }
    return parentsFirst([...tables.keys()], references).map((n) => tables.get(n)!);
  },
  beginSnapshot: sql`begin isolation level repeatable read read only`,
  toArchive(type, v) {
    // jsonb arrives parsed: kept as its JSON text, as SQLite keeps it (a JSON string stays a JSON string).
    if ((type === 'jsonb' || type === 'json') && v != null) return JSON.stringify(v);
    return commonToArchive(v);
  },
  fromArchive(type, v) {
    if (isBytes(v)) return Buffer.from(v.b64, 'base64');
    if (type === 'bool' && typeof v === 'number') return v !== 0;
    return v;
  },
  async indexRestoredLetters(ex, rows) {
    // An archive from before migration 0990 is restored at its schema, with
    // the vectors in the letters' rows: set there, the migration that
    // follows moves them.
    const inRows = await sql`select 1 from pg_attribute where attrelid = 'letters'::regclass and attname = 'search_vector' and not attisdropped`.execute(ex);
    if (!inRows.rows.length) return insertSearchVectors(ex, rows);
    await inChunks(rows, async (chunk) => {
      await sql`update letters set search_vector = to_tsvector('simple', v.text)
        from unnest(${chunk.map((r) => r.id)}::text[], ${chunk.map((r) => r.text)}::text[]) as v(id, text) where letters.id = v.id`.execute(ex);
    });
  },
  async afterRestore(ex, tables) {
    for (const t of tables) {
      for (const c of t.columns) {
        const seq = (await sql<{ s: string | null }>`select pg_get_serial_sequence(${t.name}, ${c.name}) as s`.execute(ex)).rows[0]?.s;
        if (seq) await sql`select setval(${seq}, coalesce((select max(${sql.ref(c.name)}) from ${sql.table(t.name)}), 0) + 1, false)`.execute(ex);
      }
    }
  },
  async dropAll(k) {
    const tables = (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = current_schema()`.execute(k)).rows;
    for (const t of tables) await sql`drop table if exists ${sql.table(t.tablename)} cascade`.execute(k);
  },
};
