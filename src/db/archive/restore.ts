// Writes archive records into an empty database: the schema the archive was
// taken at, every row in one transaction (a failed restore leaves no half
// desk behind), the search index rebuilt, counters moved past the restored
// rows, then the migrations that came after the archive, and the counts
// checked against the archive's.
import { sql, type Kysely } from 'kysely';
import type { ArchiveTable, ArchiveValue, Dialect } from '../dialect.ts';
import { appliedMigrations, knownMigrations, migrateThrough, migrateToLatest } from '../migrate.ts';
import { searchText } from '../repositories/letters.ts';
import type { Progress } from './export.ts';
import { ArchiveError, type ArchiveHeader, type ArchiveRecord } from './records.ts';

export type RestoreReport = { header: ArchiveHeader; rows: Record<string, number>; migratedForward: string[] };

/** Parameters per statement stay under both databases' limits (SQLite's 32,766). */
const MAX_PARAMS = 30_000;
const MAX_ROWS = 500;

/** Whether any table of the desk holds a row. */
export async function hasData(k: Kysely<any>, dialect: Dialect): Promise<boolean> {
  for (const t of await dialect.archiveTables(k)) {
    const r = await sql`select 1 from ${sql.table(t.name)} limit 1`.execute(k);
    if (r.rows.length) return true;
  }
  return false;
}

export async function restoreRecords(k: Kysely<any>, dialect: Dialect, records: AsyncIterable<ArchiveRecord>, opts: { force?: boolean; onProgress?: Progress } = {}): Promise<RestoreReport> {
  const it = records[Symbol.asyncIterator]();
  try {
    return await restoreFrom(k, dialect, it, opts);
  } finally {
    // At its end record, or on a failure: the records' source lets go of what
    // it holds (a desk copied from PostgreSQL: its snapshot's transaction,
    // which else kept the source's pool from closing, and the command hung).
    await it.return?.();
  }
}

async function restoreFrom(k: Kysely<any>, dialect: Dialect, it: AsyncIterator<ArchiveRecord>, opts: { force?: boolean; onProgress?: Progress }): Promise<RestoreReport> {
  const first = await it.next();
  if (first.done || first.value.kind !== 'header') throw new ArchiveError('not a letterdesk archive (no header)');
  const header = first.value.header;
  const known = new Set(knownMigrations());
  const newer = header.migrations.filter((m) => !known.has(m));
  if (newer.length) throw new ArchiveError(`the archive comes from a newer letterdesk (migrations ${newer.join(', ')}): upgrade first`);

  if (await hasData(k, dialect)) {
    if (!opts.force) throw new ArchiveError('the target database already holds a desk: restore into an empty one, or pass --force to replace it');
    await dialect.dropAll(k);
  } else if ((await appliedMigrations(k)).length) {
    // An empty desk's schema may be newer than the archive's: start from nothing.
    await dialect.dropAll(k);
  }
  await migrateThrough(k, dialect, header.migrations);
  const targetTables = new Map((await dialect.archiveTables(k)).map((t) => [t.name, t]));

  const rows: Record<string, number> = {};
  const progress = { done: 0, total: header.tables.reduce((a, t) => a + t.rows, 0), onProgress: opts.onProgress };
  let end: Record<string, number> | null = null;
  await k.transaction().execute(async (trx) => {
    let table: Loader | null = null;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const rec = r.value;
      if (rec.kind === 'table') {
        await table?.flush();
        const described = header.tables.find((t) => t.name === rec.name);
        const target = targetTables.get(rec.name);
        if (!described || !target) throw new ArchiveError(`damaged archive: table ${rec.name} is not in its schema`);
        table = loader(trx, dialect, target, described.columns, rows, progress);
      } else if (rec.kind === 'row') {
        if (!table) throw new ArchiveError('damaged archive: a row before its table');
        await table.add(rec.values);
      } else if (rec.kind === 'end') {
        await table?.flush();
        end = rec.rows;
        break;
      } else throw new ArchiveError('damaged archive: a second header');
    }
    if (!end) throw new ArchiveError('the archive is cut off (no end record): nothing was restored');
    for (const t of header.tables) {
      if ((rows[t.name] ?? 0) !== (end[t.name] ?? 0) || (rows[t.name] ?? 0) !== t.rows) throw new ArchiveError(`damaged archive: ${t.name} has ${rows[t.name] ?? 0} rows, its header says ${t.rows}`);
    }
    await dialect.afterRestore(trx, [...targetTables.values()]);
  });

  const migratedForward = knownMigrations().filter((m) => !header.migrations.includes(m));
  await migrateToLatest(k, dialect);
  return { header, rows, migratedForward };
}

type Loader = { add(values: ArchiveValue[]): Promise<void>; flush(): Promise<void> };

/** Inserts one table's rows in multi-row statements, and indexes restored letters' text. */
function loader(trx: Kysely<any>, dialect: Dialect, target: ArchiveTable, columns: string[], counts: Record<string, number>, progress: { done: number; total: number; onProgress?: Progress | undefined }): Loader {
  const types = columns.map((name) => {
    const col = target.columns.find((c) => c.name === name);
    if (!col) throw new ArchiveError(`the archive's column ${target.name}.${name} is not in this letterdesk's schema`);
    return col.type;
  });
  const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Math.max(1, columns.length))));
  let pending: Record<string, unknown>[] = [];
  counts[target.name] = 0;
  const flush = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    try {
      await trx.insertInto(target.name).values(batch).execute();
    } catch (err) {
      throw new ArchiveError(`damaged archive: rows of ${target.name} could not be stored (${(err as Error).message}); nothing was restored`);
    }
    if (target.name === 'letters') {
      await dialect.indexRestoredLetters(
        trx as never,
        batch.map((l) => ({ id: String(l.id), text: searchText({ name: String(l.name ?? ''), town: (l.town as string | null) ?? null, subject: (l.subject as string | null) ?? null, body: String(l.body ?? '') }) })),
      );
    }
    counts[target.name]! += batch.length;
    progress.done += batch.length;
    progress.onProgress?.({ table: target.name, done: progress.done, total: progress.total });
  };
  return {
    async add(values) {
      if (values.length !== columns.length) throw new ArchiveError(`damaged archive: a row of ${target.name} has ${values.length} values, not ${columns.length}`);
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]!] = dialect.fromArchive(types[i]!, values[i]!);
      pending.push(row);
      if (pending.length >= perStatement) await flush();
    },
    flush,
  };
}
