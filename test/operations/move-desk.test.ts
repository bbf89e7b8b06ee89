// `letterdesk migrate --to postgres://…` copies a whole desk into an empty
// PostgreSQL database, from the embedded database or from another
// PostgreSQL one (moving servers). The command must finish: copied from
// PostgreSQL, the source's snapshot was never let go and it hung.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';
import { postJson, startAppOn } from '../support/app.ts';
import { pgUnavailable } from '../support/env.ts';
import { letterdesk, namesFound } from './support.ts';

const pgMissing = await pgUnavailable();

forEachDialect('moving a desk into PostgreSQL', (dialect) => {
  test('migrate --to copies every letter, finishes, and the copy finds them', { skip: pgMissing ? `skipped: ${pgMissing}` : false }, async () => {
    const source = await createTestDatabase(dialect);
    const target = await createTestDatabase('postgres');
    try {
      const app = await startAppOn(source);
      const bodies = ['The harbour ferry stops too early for the night shift.', 'A ferry timetable nobody can read is no timetable.'];
      try {
        for (const [i, body] of bodies.entries()) {
          const r = await postJson(`${app.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: `Mover ${i}`, email: `mover${i}@example.org`, town: 'Eastbank', body, consent: true });
          assert.equal(r.status, 202, JSON.stringify(r.json));
        }
      } finally {
        await app.close();
      }
      const ran = await letterdesk(source, ['migrate', '--to', target.databaseUrl!], {}, 60_000);
      assert.equal(ran.code, 0, ran.code === null ? 'the command did not finish within a minute' : ran.stderr);
      assert.match(ran.stdout, dialect === 'postgres' ? /The database it came from is left as it was/ : /The embedded database is left as it was/);
      const copy = await startAppOn(target);
      try {
        assert.deepEqual(await namesFound(copy.url, await copy.token('viewer'), 'ferry'), ['Mover 0', 'Mover 1']);
      } finally {
        await copy.close();
      }
    } finally {
      await target.drop();
      await source.drop();
    }
  });
});
