// Migration 0990 moves PostgreSQL's search vectors out of the letters' rows
// into a table of their own. A desk upgraded across it must still find the
// letters it held before, and index the ones that come after, on both
// databases (on SQLite the migration has nothing to move).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPlain } from '../../src/db/connect.ts';
import { backup, restore } from '../../src/db/archive/index.ts';
import { knownMigrations, migrateThrough } from '../../src/db/migrate.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';
import { postJson, startAppOn } from '../support/app.ts';
import { namesFound } from './support.ts';

forEachDialect('search across the upgrade that moves the search index', (dialect) => {
  test('a letter indexed before migration 0990 is found after it, and so is a new one', async () => {
    const db = await createTestDatabase(dialect);
    try {
      await seedBefore0990(db, migrationsBefore0990());
      const app = await startAppOn(db);
      try {
        const token = await app.token('viewer');
        assert.deepEqual(await namesFound(app.url, token, 'ferry'), ['Olga Before']);
        const sent = await postJson(`${app.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Nia After', email: 'nia@example.org', town: 'Eastbank', body: 'The ferry should run past midnight for the hospital staff.', consent: true });
        assert.equal(sent.status, 202, JSON.stringify(sent.json));
        assert.deepEqual(await namesFound(app.url, token, 'ferry'), ['Nia After', 'Olga Before']);
        assert.deepEqual(await namesFound(app.url, token, 'midnight'), ['Nia After']);
      } finally {
        await app.close();
      }
      if (dialect === 'postgres') {
        const check = openPlain({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        try {
          const cols = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_schema = current_schema() and table_name = 'letters' and column_name = 'search_vector'`.execute(check.k);
          assert.equal(cols.rows[0]!.n, 0, 'the letters no longer hold a search vector');
        } finally {
          await check.close();
        }
      }
    } finally {
      await db.drop();
    }
  });

  // The upgrade's first step (docs/deploy.md) is a backup, taken by the new
  // version of a desk not yet migrated; going back restores such a backup.
  test('a backup of a desk before migration 0990 keeps its letters, and restores on both databases with search working', async () => {
    const source = await createTestDatabase(dialect);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ld-search-archive-')), 'before-0990.ldbackup');
    try {
      await seedBefore0990(source, migrationsBefore0990());
      const plain = openPlain(source);
      try {
        const report = await backup(plain, file);
        assert.equal(report.rows.letters, 1, `the letter is in the backup: ${JSON.stringify(report.rows)}`);
      } finally {
        await plain.close();
      }
      for (const into of ['sqlite', 'postgres'] as const) {
        const target = await createTestDatabase(into);
        try {
          const restoring = openPlain(target);
          try {
            await restore(restoring, file);
          } finally {
            await restoring.close();
          }
          const app = await startAppOn(target);
          try {
            assert.deepEqual(await namesFound(app.url, await app.token('viewer'), 'ferry'), ['Olga Before'], `restored into ${into}`);
          } finally {
            await app.close();
          }
          if (into === 'postgres') {
            const check = openPlain(target);
            try {
              const entries = await sql<{ n: number }>`select count(*)::int as n from letter_search s join letters l on l.id = s.letter_id`.execute(check.k);
              assert.equal(entries.rows[0]!.n, 1, 'one search entry, for the one letter');
            } finally {
              await check.close();
            }
          }
        } finally {
          await target.drop();
        }
      }
    } finally {
      await source.drop();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

/** A desk at the schema before migration 0990 holding one letter, indexed as the code of then indexed it. */
async function seedBefore0990(db: TestDatabase, before: string[]): Promise<void> {
  const dialect = db.dialect;
  const plain = openPlain({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  try {
    await migrateThrough(plain.k, plain.dialect, before);
    const k = plain.k;
    const now = plain.dialect.time(new Date());
    await k.insertInto('writers').values({ id: 'w-old', email: 'old@example.org', email_key: 'old@example.org', variant_key: 'old@example.org', name: 'Olga Before', created_at: now, updated_at: now }).execute();
    const text = 'The ferry timetable ignores the night shift workers of Eastbank.';
    await k
      .insertInto('letters')
      .values({
        id: '0190a5c0-0000-7000-8000-000000000001', writer_id: 'w-old', status: 'new', source: 'form', name: 'Olga Before', body: text, original: text,
        word_count: 11, consent: plain.dialect.bool(true), exclusive: plain.dialect.bool(true), spam_reasons: plain.dialect.json([]), flags: plain.dialect.json([]),
        pow: 'off', meta: plain.dialect.json({}), created_at: now, updated_at: now,
      })
      .execute();
    // Indexed as the code before 0990 indexed it.
    if (dialect === 'postgres') await sql`update letters set search_vector = to_tsvector('simple', ${`Olga Before\n\n\n${text}`})`.execute(k);
    else await sql`insert into letters_fts (rowid, letter_id, text) select rowid, id, ${`Olga Before\n\n\n${text}`} from letters`.execute(k);
  } finally {
    await plain.close();
  }
}

function migrationsBefore0990(): string[] {
  const all = knownMigrations();
  const before = all.slice(0, all.indexOf('0990_search_table'));
  assert.ok(before.length > 0 && before.length < all.length);
  return before;
}
