// Reads a whole database as archive records, from one consistent moment:
// the desk keeps taking letters meanwhile (SQLite's readers see a snapshot of
// the write-ahead log, PostgreSQL's repeatable-read transaction one of its
// own), and every letter committed before the snapshot is in the archive.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';
import { appliedMigrations } from '../migrate.ts';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type ArchiveRecord } from './records.ts';

/** Rows done and to do across the whole archive, and the table at hand. */
export type Progress = (p: { table: string; done: number; total: number }) => void;

/** Rows read per round trip while streaming a table. */
const CHUNK = 1000;

export async function* archiveRecords(k: Kysely<any>, dialect: Dialect, onProgress?: Progress): AsyncGenerator<ArchiveRecord> {
  // Kysely lends a connection only for the length of a callback; the
  // generator needs it across yields, so it is held open by a promise that
  // ends when the generator does.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let lend!: (c: Kysely<any>) => void;
  const lent = new Promise<Kysely<any>>((r) => (lend = r));
  const holder = k.connection().execute(async (c) => {
    lend(c);
    await held;
  });
  const c = await lent;
  try {
    await dialect.beginSnapshot.execute(c);
    try {
      const migrations = await appliedMigrations(c);
      const tables = await dialect.archiveTables(c);
      const counts: Record<string, number> = {};
      for (const t of tables) {
        const r = await sql<{ n: unknown }>`select count(*) as n from ${sql.table(t.name)}`.execute(c);
        counts[t.name] = dialect.readInt(r.rows[0]?.n);
      }
      yield {
        kind: 'header',
        header: {
          format: ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          createdAt: new Date().toISOString(),
          source: dialect.name,
          migrations,
          tables: tables.map((t) => ({ name: t.name, columns: t.columns.map((col) => col.name), rows: counts[t.name]! })),
        },
      };
      const seen: Record<string, number> = {};
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      let before = 0;
      for (const t of tables) {
        yield { kind: 'table', name: t.name };
        let done = 0;
        const columns = t.columns.map((col) => col.name);
        for await (const row of c.selectFrom(t.name).select(columns).stream(CHUNK)) {
          const r = row as Record<string, unknown>;
          yield { kind: 'row', values: t.columns.map((col) => dialect.toArchive(col.type, r[col.name])) };
          if (++done % CHUNK === 0) onProgress?.({ table: t.name, done: before + done, total });
        }
        seen[t.name] = done;
        before += done;
        onProgress?.({ table: t.name, done: before, total });
      }
      yield { kind: 'end', rows: seen };
    } finally {
      await sql`rollback`.execute(c).catch(() => {});
    }
  } finally {
    release();
    await holder;
  }
}
