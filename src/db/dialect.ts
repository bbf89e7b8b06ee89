// Everywhere SQLite and PostgreSQL differ, in one module: how values are
// stored (time as ISO text or timestamptz, booleans as 0/1 or boolean, JSON as
// text or jsonb), column types for migrations, how a write transaction begins,
// what a unique violation looks like, transaction locks, the UTC day of a
// time, and full-text search (an FTS5 table or a tsvector column). Nothing
// outside this file asks which database it is on.
import { CompiledQuery, sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { atBatchEnd } from './batch.ts';
import type { Reader, Trx } from './executor.ts';

export type DialectName = 'sqlite' | 'postgres';

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
  /** Creates the letters' full-text index (migration 0001). */
  createLetterSearch(db: Kysely<any>): Promise<void>;

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

  // --- full-text search over letters -----------------------------------------
  /** Columns to add to a new letter's row so that its text is searchable. */
  searchColumns(text: string): Record<string, unknown>;
  /** Indexes a letter's text after its row was inserted (`fresh`) or when the text changed. */
  indexLetterText(ex: Trx, letterId: string, text: string, fresh: boolean): Promise<void>;
  removeLetterText(ex: Trx, letterId: string): Promise<void>;
  /** A condition on `letters.id` for a search query, or null when it has no words. */
  letterMatches(q: string): Expression<SqlBool> | null;
};

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

export const sqlite: Dialect = {
  name: 'sqlite',
  ...common,
  // ISO 8601 with milliseconds in UTC sorts correctly as text.
  time: iso,
  timeOrNull: (d) => (d == null ? null : iso(d)),
  bool: (b) => (b ? 1 : 0),
  columns: { time: sql`text`, bool: sql`integer`, json: sql`text`, real: sql`real`, bytes: sql`blob`, serial: sql`integer` },
  serialNeedsAutoincrement: true,
  async createLetterSearch(db) {
    await sql`create virtual table letters_fts using fts5(letter_id unindexed, text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  },
  beginWrite: sql`begin immediate`,
  isUniqueViolation: (err) => /UNIQUE constraint failed/i.test((err as { message?: string })?.message ?? ''),
  lockForTransaction: async () => {},
  claimRows: (qb) => qb,
  utcDay: (column) => sql<string>`substr(${sql.ref(column)}, 1, 10)`,
  searchColumns: () => ({}),
  async indexLetterText(ex, letterId, text, fresh) {
    // At the end of a group commit's batch: FTS5 keeps new entries in memory
    // until a commit or a savepoint, and writing them out per letter (every
    // savepoint, and every statement that opens one) cost more than the rest
    // of a letter's inserts.
    await atBatchEnd(ex, async (trx) => {
      if (!fresh) await trx.executeQuery(CompiledQuery.raw('delete from letters_fts where letter_id = ?', [letterId]));
      await trx.executeQuery(CompiledQuery.raw('insert into letters_fts (letter_id, text) values (?, ?)', [letterId, text]));
    });
  },
  async removeLetterText(ex, letterId) {
    await sql`delete from letters_fts where letter_id = ${letterId}`.execute(ex);
  },
  letterMatches(q) {
    const words = queryWords(q);
    if (words.length === 0) return null;
    const match = words.map((w) => `"${w}"*`).join(' ');
    return sql<SqlBool>`letters.id in (select letter_id from letters_fts where letters_fts match ${match})`;
  },
};

const tsvector = (text: string) => sql`to_tsvector('simple', ${text})`;

export const postgres: Dialect = {
  name: 'postgres',
  ...common,
  time: (d) => d,
  timeOrNull: (d) => d ?? null,
  bool: (b) => b,
  columns: { time: sql`timestamptz`, bool: sql`boolean`, json: sql`jsonb`, real: sql`double precision`, bytes: sql`bytea`, serial: sql`bigserial` },
  serialNeedsAutoincrement: false,
  async createLetterSearch(db) {
    await sql`alter table letters add column search_vector tsvector`.execute(db);
    await sql`create index letters_search on letters using gin (search_vector)`.execute(db);
  },
  beginWrite: sql`begin`,
  isUniqueViolation: (err) => (err as { code?: string })?.code === '23505',
  async lockForTransaction(ex, key) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(ex);
  },
  claimRows: (qb) => qb.forUpdate().skipLocked(),
  utcDay: (column) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`,
  // The search vector is computed in the insert itself: one statement, not two.
  searchColumns: (text) => ({ search_vector: tsvector(text) }),
  async indexLetterText(ex, letterId, text, fresh) {
    if (fresh) return;
    await sql`update letters set search_vector = ${tsvector(text)} where id = ${letterId}`.execute(ex);
  },
  removeLetterText: async () => {},
  letterMatches(q) {
    const words = queryWords(q);
    if (words.length === 0) return null;
    const tsq = words.map((w) => `${w}:*`).join(' & ');
    return sql<SqlBool>`letters.search_vector @@ to_tsquery('simple', ${tsq})`;
  },
};
