// Migration 0990 moves PostgreSQL's search vectors out of the letters' rows
// into a table of their own. A desk upgraded across it must still find the
// letters it held before, and index the ones that come after, on both
// databases (on SQLite the migration has nothing to move).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openPlain } from '../../src/db/connect.ts';
import { knownMigrations, migrateThrough } from '../../src/db/migrate.ts';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startAppOn } from '../support/app.ts';

forEachDialect('search across the upgrade that moves the search index', (dialect) => {
  test('a letter indexed before migration 0990 is found after it, and so is a new one', async () => {
    const all = knownMigrations();
    const before = all.slice(0, all.indexOf('0990_search_table'));
    assert.ok(before.length > 0 && before.length < all.length);
    const db = await createTestDatabase(dialect);
    try {
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
      const app = await startAppOn(db);
      try {
        const token = await app.token('viewer');
        const found = await getJson(`${app.url}/api/v1/letters?q=ferry`, token);
        assert.equal(found.status, 200, JSON.stringify(found.json));
        assert.deepEqual(found.json.items.map((l: { writer: { name: string } }) => l.writer.name), ['Olga Before']);
        const sent = await postJson(`${app.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Nia After', email: 'nia@example.org', town: 'Eastbank', body: 'The ferry should run past midnight for the hospital staff.', consent: true });
        assert.equal(sent.status, 202, JSON.stringify(sent.json));
        const both = await getJson(`${app.url}/api/v1/letters?q=ferry`, token);
        assert.deepEqual(both.json.items.map((l: { writer: { name: string } }) => l.writer.name).sort(), ['Nia After', 'Olga Before']);
        const after = await getJson(`${app.url}/api/v1/letters?q=midnight`, token);
        assert.deepEqual(after.json.items.map((l: { writer: { name: string } }) => l.writer.name), ['Nia After']);
      } finally {
        await app.close();
      }
      if (dialect === 'postgres') {
        const check = openPlain({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        try {
          const cols = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'letters' and column_name = 'search_vector'`.execute(check.k);
          assert.equal(cols.rows[0]!.n, 0, 'the letters no longer hold a search vector');
        } finally {
          await check.close();
        }
      }
    } finally {
      await db.drop();
    }
  });
});
