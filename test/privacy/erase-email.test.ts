// Erasing a writer who wrote by email removes the raw mail kept for them and
// the text the spam model learnt from their letters, not only the letter rows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { eraseWriter } from '../../src/publishing/writer-data.ts';

forEachDialect('erasing an email writer', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect);
  });
  after(async () => t?.close());

  test('raw mail, tray mail and learnt text are gone after erase', async () => {
    const label = JSON.parse(fs.readFileSync(`${FIXTURES}corpus/labels.jsonl`, 'utf8').split('\n')[0]!);
    const raw = fs.readFileSync(`${FIXTURES}corpus/mail/${label.file}`);
    const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await t.token('inbound')}` }, body: new Uint8Array(raw) });
    const inbound = await res.json();
    assert.equal(inbound.kind, 'letter');
    const editor = await t.token('editor');
    const letters = await getJson(`${t.url}/api/v1/letters?limit=5`, editor);
    const letterId = letters.json.items[0].id;
    assert.equal((await postJson(`${t.url}/api/v1/letters/${letterId}/actions`, { action: 'spam' }, { authorization: `Bearer ${editor}` })).status, 200);
    await t.drainEvents();
    const count = async (table: string) => Number(((await t.ctx.db.writes.run((trx) => sql`select count(*) as n from ${sql.table(table)} where letter_id = ${letterId}`.execute(trx))).rows[0] as { n: unknown }).n);
    assert.equal(await count('inbound_messages'), 1);
    assert.ok((await count('spam_lessons')) >= 1, 'the spam decision taught the model');

    const report = await eraseWriter(t.ctx, label.writerEmail);
    assert.equal(report.found, true);
    assert.equal(await count('inbound_messages'), 0);
    assert.equal(await count('spam_lessons'), 0);
    assert.equal((await getJson(`${t.url}/api/v1/inbound/${inbound.id}/raw`, editor)).status, 404);
    const left = await getJson(`${t.url}/api/v1/letters/${letterId}`, editor);
    assert.doesNotMatch(JSON.stringify(left.json), new RegExp(label.writerEmail.replace(/[.+]/g, '\\$&'), 'i'));
  });
});
