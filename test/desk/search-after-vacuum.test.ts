// Search after the database was compacted. On SQLite each full-text entry
// points at its letter by rowid (migration 0901), and VACUUM may renumber
// the rowids of a table without an integer primary key: a desk opened on
// such a file must find the right letters, not the ones that took the old
// positions (connect.ts links the index again when it finds them moved). (On PostgreSQL VACUUM FULL moves rows
// too; its index lives in the letter's row, so it holds by construction.)
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import pg from 'pg';
import { test } from 'node:test';
import { createTestDatabase, forEachDialect } from '../support/databases.ts';
import { startAppOn, getJson } from '../support/app.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { takeAction } from '../../src/letters/actions.ts';
import { deleteDeclinedLetters } from '../../src/db/repositories/retention.ts';

const WORDS = ['heron', 'quarry', 'lantern', 'orchard', 'pylon', 'ferry', 'granary', 'kestrel', 'tannery', 'viaduct', 'bellows', 'cistern'];

forEachDialect('search after compacting the database', (dialect) => {
  test('each word finds its own letter after letters were removed and the file compacted and renumbered', async () => {
    const db = await createTestDatabase(dialect);
    let t = await startAppOn(db);
    const ids = new Map<string, string>();
    try {
      const article = (await t.ctx.db.read.selectFrom('articles').select('id').executeTakeFirstOrThrow()).id;
      for (const [i, word] of WORDS.entries()) {
        const out = await intakeLetter(t.ctx, {
          source: 'api', article: { id: article, method: 'form', confidence: 1 }, writer: { name: `Writer ${i}`, email: `w${i}@example.net`, town: null },
          subject: null, body: `A letter about the ${word} by the river, and nothing else of note.`, consent: true, exclusive: true, pow: 'off', dedupeKey: `vacuum-${i}`, actor: 'test', meta: {},
        });
        ids.set(word, out.letter.id);
      }
      // The first four letters are declined and removed by retention, leaving a gap.
      const gone = WORDS.slice(0, 4).map((w) => ids.get(w)!);
      await t.drainEvents();
      for (const id of gone) await takeAction(t.ctx, id, { action: 'decline' } as never, { kind: 'system', label: 'test' });
      assert.equal(await deleteDeclinedLetters(t.ctx.db, new Date(Date.now() + 86_400_000)), gone.length);
      await t.close();
      if (dialect === 'sqlite') {
        const file = new DatabaseSync(path.join(db.dataDir, 'letterdesk.sqlite'));
        // What VACUUM is allowed to do (SQLite's documentation: it "may change the ROWIDs of
        // entries in any tables that do not have an explicit INTEGER PRIMARY KEY"), done outright.
        file.exec('vacuum');
        file.exec('update letters set rowid = rowid + 1000');
        file.close();
      } else {
        const c = new pg.Client({ connectionString: db.databaseUrl! });
        await c.connect();
        await c.query('vacuum full letters');
        await c.end();
      }
      t = await startAppOn(db);
      const token = await t.token('editor');
      for (const word of WORDS) {
        const page = await getJson(`${t.url}/api/v1/letters?q=${word}`, token);
        assert.equal(page.status, 200);
        const expected = WORDS.indexOf(word) < 4 ? [] : [ids.get(word)!];
        assert.deepEqual((page.json.items as { id: string }[]).map((l) => l.id), expected, `search for "${word}"`);
      }
    } finally {
      await t.close();
      await db.drop();
    }
  });
});
