// Backup, restore and moving a desk between databases, all through the one
// portable archive format (records.ts).
import type { PlainDb } from '../connect.ts';
import { archiveRecords, type Progress } from './export.ts';
import { readArchiveFile, writeArchiveFile } from './file.ts';
import { restoreRecords, type RestoreReport } from './restore.ts';

export { ArchiveError } from './records.ts';
export type { Progress } from './export.ts';
export type { RestoreReport } from './restore.ts';

export type BackupReport = { file: string; bytes: number; rows: Record<string, number>; ms: number };

/** A consistent snapshot of `db` into `file` (which must not exist yet). */
export async function backup(db: PlainDb, file: string, onProgress?: Progress): Promise<BackupReport> {
  const t0 = Date.now();
  const rows: Record<string, number> = {};
  async function* counted() {
    for await (const r of archiveRecords(db.k, db.dialect, onProgress)) {
      if (r.kind === 'end') Object.assign(rows, r.rows);
      yield r;
    }
  }
  const { bytes } = await writeArchiveFile(file, counted());
  return { file, bytes, rows, ms: Date.now() - t0 };
}

/** Restores an archive file into an empty database (or any, with `force`). */
export async function restore(db: PlainDb, file: string, opts: { force?: boolean; onProgress?: Progress } = {}): Promise<RestoreReport> {
  return restoreRecords(db.k, db.dialect, readArchiveFile(file), opts);
}

export type CopyReport = RestoreReport & { source: Record<string, number>; target: Record<string, number> };

/**
 * Copies a whole desk from one database into another (an embedded desk into
 * PostgreSQL), straight from the source's snapshot, and counts every table on
 * both sides afterwards.
 */
export async function copyDatabase(source: PlainDb, target: PlainDb, opts: { force?: boolean; onProgress?: Progress } = {}): Promise<CopyReport> {
  const report = await restoreRecords(target.k, target.dialect, archiveRecords(source.k, source.dialect), opts);
  const sourceCounts = Object.fromEntries(report.header.tables.map((t) => [t.name, t.rows]));
  const targetCounts: Record<string, number> = {};
  for (const t of report.header.tables) targetCounts[t.name] = await countRows(target, t.name);
  return { ...report, source: sourceCounts, target: targetCounts };
}

async function countRows(db: PlainDb, table: string): Promise<number> {
  const r = await db.k.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return db.dialect.readInt((r as { n: unknown }).n);
}
