// Migrations are applied at start, on both dialects. Each migration file
// exports `up(db, dialect)`; they run in file-name order.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect.ts';
import * as core from './migrations/0001_core.ts';
import * as publishing from './migrations/0400_publishing.ts';
import * as desk from './migrations/0300_desk.ts';
import * as inbound from './migrations/0200_inbound.ts';
import * as screening from './migrations/0500_screening.ts';
import * as events from './migrations/0600_events.ts';
import * as operations from './migrations/0700_operations.ts';
import * as feeds from './migrations/0710_feeds.ts';
import * as deskConcurrency from './migrations/0730_desk_concurrency.ts';
import * as insights from './migrations/0800_insights.ts';
import * as readers from './migrations/0810_readers.ts';
import * as letterCounts from './migrations/0900_letter_counts.ts';
import * as searchPositions from './migrations/0901_search_positions.ts';
import * as searchTerms from './migrations/0950_search_terms.ts';
import * as queueReads from './migrations/0960_queue_reads.ts';
import * as insightsStamp from './migrations/0970_insights_stamp.ts';
import * as countsByStatus from './migrations/0980_counts_by_status.ts';
import * as searchTable from './migrations/0990_search_table.ts';

type DialectMigration = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };

// New migrations are added here, in order.
const migrations: Record<string, DialectMigration> = {
  '0001_core': core,
  '0400_publishing': publishing,
  '0300_desk': desk,
  '0200_inbound': inbound,
  '0500_screening': screening,
  '0600_events': events,
  '0700_operations': operations,
  '0710_feeds': feeds,
  '0730_desk_concurrency': deskConcurrency,
  '0800_insights': insights,
  '0810_readers': readers,
  '0900_letter_counts': letterCounts,
  '0901_search_positions': searchPositions,
  '0950_search_terms': searchTerms,
  '0960_queue_reads': queueReads,
  '0970_insights_stamp': insightsStamp,
  '0980_counts_by_status': countsByStatus,
  '0990_search_table': searchTable,
};

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await migrateThrough(db, dialect, Object.keys(migrations));
}

/** The names of every migration this letterdesk knows. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}

/** The migrations applied to a database (none on an empty one). */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return r.rows.map((x) => x.name);
  } catch {
    return [];
  }
}

/** Applies the named migrations only (a restore builds the schema its archive was taken at). */
export async function migrateThrough(db: Kysely<any>, dialect: Dialect, names: readonly string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in migrations));
  if (unknown.length) throw new Error(`unknown migrations: ${unknown.join(', ')}`);
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const name of names) out[name] = { up: (k) => migrations[name]!.up(k, dialect) };
      return out;
    },
  };
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}
