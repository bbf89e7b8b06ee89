// Upgrades as docs/deploy.md promises them: a desk whose database stopped at
// any earlier schema version starts on this version, migrates forward (only
// the migrations it lacks), takes a letter and shows it, and says it is ready.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPlain } from '../../src/db/connect.ts';
import { appliedMigrations, knownMigrations, migrateThrough } from '../../src/db/migrate.ts';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startAppOn } from '../support/app.ts';

forEachDialect('upgrades from every earlier schema version', (dialect) => {
  const all = knownMigrations();

  test('there is more than one version to upgrade from', () => {
    assert.ok(all.length >= 8, all.join(', '));
  });

  for (let k = 1; k < all.length; k++) {
    const from = all[k - 1]!;
    test(`from ${from}: the start migrates forward, then the desk works`, async () => {
      const db = await createTestDatabase(dialect);
      try {
        const plain = openPlain({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        try {
          await migrateThrough(plain.k, plain.dialect, all.slice(0, k));
          assert.deepEqual(await appliedMigrations(plain.k), all.slice(0, k));
        } finally {
          await plain.close();
        }
        const app = await startAppOn(db);
        try {
          const ready = await getJson(`${app.url}/readyz`);
          assert.equal(ready.json.checks.migrations, 'ok');
          const sent = await postJson(`${app.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Ada Upgrade', email: 'ada@example.org', town: 'Eastbank', body: `Written after an upgrade from ${from}: the footbridge is overdue.`, consent: true });
          assert.equal(sent.status, 202, JSON.stringify(sent.json));
          const read = await getJson(`${app.url}/api/v1/letters/${sent.json.id}`, await app.token('viewer'));
          assert.equal(read.status, 200);
          assert.match(read.json.body, new RegExp(`upgrade from ${from}`));
        } finally {
          await app.close();
        }
        const check = openPlain({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
        try {
          assert.deepEqual(await appliedMigrations(check.k), all, 'every migration applied once, in order');
        } finally {
          await check.close();
        }
      } finally {
        await db.drop();
      }
    });
  }
});
