// Inserts through a statement compiled once per shape of row. Building and
// compiling a query with Kysely costs more than running it on the embedded
// database, and intake inserts about ten rows per letter; so each shape is
// compiled by Kysely once and then only run.
// The first insert of a shape is checked: Kysely's parameters must be the
// rows' values, column by column, in order. When they are not (a value that
// is an SQL expression, say), that shape is never cached and every insert of
// it is built as usual. The result is the same statement either way.
import { CompiledQuery, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Db } from './connect.ts';
import type { Reader, Trx } from './executor.ts';
import type { Database } from './schema.ts';
import { appendAtBatchEnd, type Together } from './batch.ts';
import { perDatabase } from './per-database.ts';

const compiled = new Map<string, string | null>();

/**
 * Tables whose rows nobody reads back in the write that appends them: in a
 * write that allows it (intake, the SMTP spool), they wait for the end of the group commit's
 * batch and go in with the batch's other rows (see appendAtBatchEnd). A key
 * taken twice (an idempotency key raced) makes the batch run again
 * carefully, where only its own write fails.
 */
const APPEND_ONLY = new Set(['inbound_messages', 'letter_events', 'event_queue', 'jobs', 'outbox', 'writer_links', 'idempotency_keys', 'webhook_deliveries']);
/** Merged rows go in by statements of these sizes where statements stay prepared (dialect.insertSizes). */
const CHUNKS = [32, 16, 8, 4, 2, 1];
/** Rows in one statement at most, where any number goes. */
const MOST_ROWS = 200;

/** `ex`: the database or a transaction. */
export async function insertRows<T extends keyof Database & string>(db: Db, ex: Trx, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const flush = (trx: Trx, all: unknown[]) => insertInChunks(db, trx, table, all as Insertable<Database[T]>[], columns);
  if (APPEND_ONLY.has(table) && appendAtBatchEnd(ex, table, `${table}|${columns.join(',')}`, rows, flush, { together: { columns, flush: togetherFor(db) } })) return;
  await insertNow(db, ex, table, rows, columns);
}

/**
 * Inserts the rows, or updates the row their `key` column already names
 * (every other column from the new row). In a write that allows it for the
 * table (the event processors' round, for rows nobody reads back in it),
 * they wait for the end of its batch and go in together, the last row for a
 * key winning, as it would one after another.
 */
export async function upsertRows<T extends keyof Database & string>(db: Db, ex: Trx, table: T, key: string, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (appendAtBatchEnd(ex, table, `${table}|upsert|${columns.join(',')}`, rows, (trx, all) => upsertNow(trx, table, key, lastPerKey(all as Record<string, unknown>[], key), columns))) return;
  await upsertNow(ex, table, key, rows as Record<string, unknown>[], columns);
}

/** One statement may not update a row twice (PostgreSQL refuses): the last row for each key. */
function lastPerKey(rows: Record<string, unknown>[], key: string): Record<string, unknown>[] {
  return [...new Map(rows.map((r) => [r[key], r])).values()];
}

async function upsertNow(ex: Trx, table: string, key: string, rows: Record<string, unknown>[], columns: string[]): Promise<void> {
  const updated = columns.filter((c) => c !== key);
  for (let at = 0; at < rows.length; at += 200) {
    await ex
      .insertInto(table as never)
      .values(rows.slice(at, at + 200) as never)
      .onConflict((oc) => oc.column(key as never).doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never))
      .execute();
  }
}

/**
 * Appended rows of several tables, at a batch's end: in one statement where
 * the dialect has one for them (PostgreSQL, where each statement is a round
 * trip: an event round's mail, links, events and jobs took a dozen, 1 ms
 * each under load), else each table's in its chunks. Rows whose values are
 * not all plain parameters go in on their own, and the parts keep their
 * order (a queued event's row refers to the event's).
 */
const togetherFor = perDatabase((db): Together => {
  const inChunks = (trx: Trx, p: Parameters<Together>[1][number]) => insertInChunks(db, trx, p.table as never, p.rows as never, p.columns);
  const statement = db.dialect.insertsTogether;
  return async (trx, parts) => {
    if (!statement) {
      for (const p of parts) await inChunks(trx, p);
      return;
    }
    let joint: typeof parts = [];
    let params: unknown[] = [];
    const writeJoint = async () => {
      if (joint.length > 1) await trx.executeQuery(CompiledQuery.raw(statement(joint.map((p) => ({ table: p.table, columns: p.columns, rows: p.rows.length }))), params));
      else for (const p of joint) await inChunks(trx, p);
      joint = [];
      params = [];
    };
    for (const p of parts) {
      const values = plainShape(db, trx, p.table, p.rows[0] as Record<string, unknown>, p.columns) ? valuesInOrder(p.rows as Record<string, unknown>[], p.columns) : null;
      if (values && params.length + values.length > MAX_PARAMETERS) await writeJoint();
      if (!values || values.length > MAX_PARAMETERS) {
        await writeJoint();
        await inChunks(trx, p);
        continue;
      }
      joint.push(p);
      params.push(...values);
    }
    await writeJoint();
  };
});

/** PostgreSQL's limit on a statement's parameters. */
const MAX_PARAMETERS = 65_535;

/**
 * Whether Kysely binds a row of these columns as its values, one parameter
 * each in order (then a statement's text may be written here): learnt from
 * the first row of the shape, as insertNow learns it.
 */
function plainShape(db: Db, ex: Trx, table: string, first: Record<string, unknown>, columns: string[]): boolean {
  const key = `${db.dialect.name}|${table}|1|${columns.join(',')}`;
  const params = valuesInOrder([first], columns);
  // A row holding an undefined says nothing of the shape (as in insertNow).
  if (!params) return false;
  if (!compiled.has(key)) {
    const query = ex.insertInto(table as never).values(first as never).compile();
    compiled.set(key, sameValues(query.parameters, params) ? query.sql : null);
  }
  return compiled.get(key) != null;
}

/** Inserts the rows now, a few statements of fixed sizes; the rows share their columns, in order. */
export async function insertAllNow<T extends keyof Database & string>(db: Db, ex: Trx, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length) await insertInChunks(db, ex, table, rows, Object.keys(rows[0]!));
}

/** `columns`: the merged rows' shared columns (they were merged by them). */
async function insertInChunks<T extends keyof Database & string>(db: Db, ex: Trx, table: T, rows: Insertable<Database[T]>[], columns: string[]): Promise<void> {
  for (let at = 0; at < rows.length; ) {
    const size = db.dialect.insertSizes === 'any' ? Math.min(MOST_ROWS, rows.length - at) : CHUNKS.find((n) => n <= rows.length - at)!;
    await insertNow(db, ex, table, rows.slice(at, at + size), columns);
    at += size;
  }
}

async function insertNow<T extends keyof Database & string>(db: Db, ex: Trx, table: T, rows: Insertable<Database[T]>[], columns: string[]): Promise<void> {
  const params = valuesInOrder(rows as Record<string, unknown>[], columns);
  const key = `${db.dialect.name}|${table}|${rows.length}|${columns.join(',')}`;
  const text = params ? compiled.get(key) : null;
  if (text) {
    await ex.executeQuery(CompiledQuery.raw(text, params!));
    return;
  }
  const query = ex.insertInto(table).values(rows as never).compile();
  if (params && text === undefined) compiled.set(key, sameValues(query.parameters, params) ? query.sql : null);
  await ex.executeQuery(query);
}

/** The rows' values column by column, or null when the rows differ in shape or hold an undefined. */
function valuesInOrder(rows: Record<string, unknown>[], columns: string[]): unknown[] | null {
  const out: unknown[] = [];
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length !== columns.length) return null;
    for (let i = 0; i < columns.length; i++) {
      const v = row[columns[i]!];
      if (keys[i] !== columns[i] || v === undefined) return null;
      out.push(v);
    }
  }
  return out;
}

function sameValues(a: readonly unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
