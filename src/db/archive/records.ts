// The portable archive: one format for backups of either database, restores
// into either, and moving an embedded desk to PostgreSQL. A stream of
// records: a header (the schema's migrations, every table's columns and row
// count at the snapshot), then each table's rows, parents before the tables
// that reference them, then an end record with the counts again, so that a
// cut-off archive is known for one. On disk (file.ts) each record is a line of
// JSON, gzip-compressed: readable with zcat, and a backup's integrity is
// gzip's checksum plus the end record.
import type { ArchiveValue, DialectName } from '../dialect.ts';

export const ARCHIVE_FORMAT = 'letterdesk-archive';
export const ARCHIVE_VERSION = 1;

export type ArchiveHeader = {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  createdAt: string;
  /** The database it was taken from (for messages; values are portable). */
  source: DialectName;
  /** Migrations applied to the source: a restore builds the same schema, then migrates forward. */
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
};

export type ArchiveRecord =
  | { kind: 'header'; header: ArchiveHeader }
  | { kind: 'table'; name: string }
  | { kind: 'row'; values: ArchiveValue[] }
  | { kind: 'end'; rows: Record<string, number> };

/** One record as a line (without its newline). Rows are bare arrays: most lines are rows. */
export function recordLine(r: ArchiveRecord): string {
  switch (r.kind) {
    case 'header':
      return JSON.stringify(r.header);
    case 'table':
      return JSON.stringify({ table: r.name });
    case 'row':
      return JSON.stringify(r.values);
    case 'end':
      return JSON.stringify({ end: true, rows: r.rows });
  }
}

export class ArchiveError extends Error {}

/** Reads one line back; the first line of an archive must be its header. */
export function lineRecord(line: string, first: boolean): ArchiveRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new ArchiveError(first ? 'not a letterdesk archive (the first line is not JSON)' : `damaged archive: a line is not JSON (${line.slice(0, 60)}…)`);
  }
  if (first) {
    const h = v as Partial<ArchiveHeader>;
    if (h?.format !== ARCHIVE_FORMAT) throw new ArchiveError('not a letterdesk archive');
    if (h.version !== ARCHIVE_VERSION) throw new ArchiveError(`archive format version ${String(h.version)} is not one this letterdesk reads (${ARCHIVE_VERSION})`);
    if (!Array.isArray(h.migrations) || !Array.isArray(h.tables)) throw new ArchiveError('damaged archive: its header has no schema');
    return { kind: 'header', header: h as ArchiveHeader };
  }
  if (Array.isArray(v)) return { kind: 'row', values: v as ArchiveValue[] };
  const o = v as { table?: unknown; end?: unknown; rows?: unknown };
  if (typeof o?.table === 'string') return { kind: 'table', name: o.table };
  if (o?.end === true && o.rows && typeof o.rows === 'object') return { kind: 'end', rows: o.rows as Record<string, number> };
  throw new ArchiveError(`damaged archive: an unknown record (${line.slice(0, 60)}…)`);
}
