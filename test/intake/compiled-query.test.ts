// Queries compiled once and then only run (src/db/compiled-query.ts) answer
// as the query built anew would, with each call's own arguments, on both
// dialects; a query whose argument Kysely would change is refused at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openDb, type Db } from '../../src/db/connect.ts';
import { compiledQuery } from '../../src/db/compiled-query.ts';
import { createTestDatabase, forEachDialect, type TestDatabase } from '../support/databases.ts';

const byEmailKey = compiledQuery((k, key: string) => k.selectFrom('writers').select(['id', 'name']).where('email_key', '=', key).where('erased_at', 'is', null), 1);
const byTwo = compiledQuery((k, name: string, town: string) => k.selectFrom('writers').select('id').where('name', '=', name).where('town', '=', town).orderBy('id'), 2);

forEachDialect('compiled queries', (dialect) => {
  let tdb: TestDatabase;
  let db: Db;
  before(async () => {
    tdb = await createTestDatabase(dialect);
    db = await openDb({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
    const now = db.dialect.time(new Date());
    for (const [id, name, town] of [['w1', 'Ann', 'Leeds'], ['w2', 'Bob', 'York'], ['w3', 'Ann', 'York']])
      await db.writes.run((trx) => trx.insertInto('writers').values({ id, email: `${id}@example.org`, email_key: `${id}@example.org`, variant_key: id, name, town, phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: now, updated_at: now } as never).execute());
  });
  after(async () => {
    await db.close();
    await tdb.drop();
  });

  /** node:sqlite's rows have no prototype; compare their fields. */
  const plain = (rows: object[]) => rows.map((r) => ({ ...r }));

  test('each call runs with its own arguments, also inside a transaction', async () => {
    assert.deepEqual(plain(await byEmailKey(db, db.read, 'w2@example.org')), [{ id: 'w2', name: 'Bob' }]);
    assert.deepEqual(await byEmailKey(db, db.read, 'nobody@example.org'), []);
    assert.deepEqual(plain(await byTwo(db, db.read, 'Ann', 'York')), [{ id: 'w3' }]);
    const inTrx = await db.writes.run((trx) => byTwo(db, trx, 'Ann', 'Leeds'));
    assert.deepEqual(plain(inTrx), [{ id: 'w1' }]);
  });

  test('an argument that is not passed through as a parameter is refused', async () => {
    const bad = compiledQuery((k, id: string) => k.selectFrom('writers').select(sql<string>`${sql.lit(id)}`.as('x')), 1);
    await assert.rejects(bad(db, db.read, 'w1'), /argument 0 is not a parameter/);
  });
});
