// The JSON door: acceptance, idempotency, confirmation, audit log, and every
// kind of bad input answered with a clear 4xx, never a 500.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';

const good = {
  article: 'seed-isi-taliban',
  name: 'Obadiah Kent',
  email: 'okent@example.com',
  town: 'Harrisburg, Pa.',
  body: 'Your article made a case I had not heard before.',
  consent: true,
};

forEachDialect('letters API', (dialect) => {
  let t: TestApp;
  let editor: string;
  let admin: string;
  before(async () => {
    t = await startTestApp(dialect);
    editor = await t.token('editor');
    admin = await t.token('admin');
  });
  after(async () => t?.close());

  test('a letter is stored, listed, and read back with its writer and article', async () => {
    const res = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'first@example.com' });
    assert.equal(res.status, 202);
    const one = await getJson(`${t.url}/api/v1/letters/${res.json.id}`, editor);
    assert.equal(one.json.status, 'unconfirmed');
    assert.deepEqual(one.json.article, { id: 'seed-isi-taliban', title: 'Is Pakistan a Bigger Obstacle to Peace Than the Taliban?', confidence: 1, method: 'form' });
    assert.equal(one.json.writer.email, 'first@example.com');
    assert.equal(one.json.source, 'api');
    assert.equal(one.json.history[0].action, 'received');
    const list = await getJson(`${t.url}/api/v1/letters?article=seed-isi-taliban`, editor);
    assert.ok(list.json.items.some((l: { id: string }) => l.id === res.json.id));
  });

  test('a retry with the same Idempotency-Key returns the first answer and stores one letter', async () => {
    const headers = { 'idempotency-key': 'retry-key-0001' };
    const body = { ...good, email: 'retry@example.com', body: 'A letter sent twice by a flaky network.' };
    const answers = await Promise.all([1, 2, 3].map(() => postJson(`${t.url}/api/v1/letters`, body, headers)));
    for (const a of answers) assert.equal(a.status, 202);
    assert.equal(new Set(answers.map((a) => a.json.id)).size, 1);
    const list = await getJson(`${t.url}/api/v1/letters?q=flaky`, editor);
    assert.equal(list.json.items.length, 1);
    const reused = await postJson(`${t.url}/api/v1/letters`, { ...body, body: 'Something else entirely.' }, headers);
    assert.equal(reused.status, 422);
    assert.equal(reused.json.error, 'idempotency_key_reused');
  });

  test('the confirmation link moves the letter from unconfirmed to new, once, and only its own letter', async () => {
    const a = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'confirm-a@example.com' });
    const b = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'confirm-b@example.com' });
    await t.drainEvents();
    const outbox = await getJson(`${t.url}/api/v1/outbox?letter=${a.json.id}`, admin);
    assert.equal(outbox.status, 200);
    const ack = outbox.json.items[0];
    assert.equal(ack.to.address, 'confirm-a@example.com');
    assert.equal(ack.headers['Auto-Submitted'], 'auto-replied');
    const link = /(http:\/\/\S+\/confirm\/\S+)/.exec(ack.text)![1]!;
    // Opening the link (as a mail scanner does) confirms nothing: the page has a button.
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<button type="submit" id="confirm">Confirm my address<\/button>/);
    assert.equal((await getJson(`${t.url}/api/v1/letters/${a.json.id}`, editor)).json.status, 'unconfirmed', 'a GET of the link confirms nothing');
    const pressed = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(pressed.status, 200);
    assert.match(await pressed.text(), /address is confirmed/);
    assert.equal((await getJson(`${t.url}/api/v1/letters/${a.json.id}`, editor)).json.status, 'new');
    assert.equal((await getJson(`${t.url}/api/v1/letters/${b.json.id}`, editor)).json.status, 'unconfirmed', 'the other letter is untouched');
    const again = await fetch(link);
    assert.match(await again.text(), /already confirmed/);
    const forged = await fetch(`${t.url}/confirm/${'A'.repeat(32)}`);
    assert.equal(forged.status, 404);
    const history = (await getJson(`${t.url}/api/v1/letters/${a.json.id}`, editor)).json.history.map((h: { action: string }) => h.action);
    assert.deepEqual(history, ['received', 'screened', 'confirm']);
  });

  test('outgoing mail is kept in the outbox and the log has no letter text or address', async () => {
    const res = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'outbox@example.com' });
    // The background, as `letterdesk start` runs it: events write the mail, jobs deliver it.
    await t.desk.background.run({ events: 20, jobs: 20 });
    let mail: any;
    for (let i = 0; i < 100; i++) {
      mail = (await getJson(`${t.url}/api/v1/outbox?letter=${res.json.id}`, admin)).json.items[0];
      if (mail?.status === 'kept') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await t.desk.background.run({ events: null, jobs: null });
    assert.equal(mail.status, 'kept');
    const log = t.logs.join('\n');
    assert.match(log, /mail kept in the outbox/);
    assert.ok(!log.includes('outbox@example.com'), 'no address in the log');
    assert.ok(!log.includes('a case I had not heard'), 'no letter text in the log');
    assert.ok(!/\/confirm\/[A-Za-z0-9_-]{20}/.test(log), 'no confirmation token in the log');
  });

  test('an editor action changes status and is recorded in the audit log', async () => {
    const res = await postJson(`${t.url}/api/v1/letters`, { ...good, email: 'act@example.com' });
    const act = await postJson(`${t.url}/api/v1/letters/${res.json.id}/actions`, { action: 'shortlist' }, { authorization: `Bearer ${editor}` });
    assert.equal(act.status, 200, JSON.stringify(act.json));
    assert.equal(act.json.status, 'shortlisted');
    const last = act.json.history.at(-1);
    assert.equal(last.action, 'shortlist');
    assert.equal(last.actor, 'token:test editor');
    assert.deepEqual([last.data.from, last.data.to], ['unconfirmed', 'shortlisted']);
    const bad = await postJson(`${t.url}/api/v1/letters/${res.json.id}/actions`, { action: 'not_spam' }, { authorization: `Bearer ${editor}` });
    assert.equal(bad.status, 409);
  });

  test('full-text search, status filter and cursor paging', async () => {
    for (let i = 0; i < 5; i++) await postJson(`${t.url}/api/v1/letters`, { ...good, email: `page${i}@example.com`, body: `Zeppelin number ${i} over the harbour.` });
    const first = await getJson(`${t.url}/api/v1/letters?q=zeppelin&limit=2`, editor);
    assert.equal(first.json.items.length, 2);
    const second = await getJson(`${t.url}/api/v1/letters?q=zeppelin&limit=2&cursor=${first.json.nextCursor}`, editor);
    const third = await getJson(`${t.url}/api/v1/letters?q=zeppelin&limit=2&cursor=${second.json.nextCursor}`, editor);
    const ids = [...first.json.items, ...second.json.items, ...third.json.items].map((l: { id: string }) => l.id);
    assert.equal(new Set(ids).size, 5);
    assert.equal(third.json.nextCursor, null);
    const prefix = await getJson(`${t.url}/api/v1/letters?q=zeppe`, editor);
    assert.equal(prefix.json.items.length, 5, 'words match by prefix');
    const none = await getJson(`${t.url}/api/v1/letters?status=published`, editor);
    assert.equal(none.json.items.length, 0);
    const badStatus = await getJson(`${t.url}/api/v1/letters?status=bogus`, editor);
    assert.equal(badStatus.status, 422);
    const hostileQuery = await getJson(`${t.url}/api/v1/letters?q=${encodeURIComponent('" OR 1=1 -- NEAR( *')}`, editor);
    assert.equal(hostileQuery.status, 200);
  });

  test('bad input gets a clear 4xx, never a 500', async () => {
    const url = `${t.url}/api/v1/letters`;
    const send = (body: BodyInit, type = 'application/json') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
    const nul = await postJson(url, { ...good, body: 'a\u0000b' });
    assert.equal(nul.status, 422);
    const invalidUtf8 = await send(Buffer.concat([Buffer.from('{"article":"seed-isi-taliban","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
    assert.equal(invalidUtf8.status, 400);
    assert.equal((await invalidUtf8.json()).error, 'invalid_encoding');
    const huge = await send(JSON.stringify({ ...good, body: 'word '.repeat(2_100_000) }));
    assert.equal(huge.status, 413);
    assert.equal((await huge.json()).error, 'too_large');
    const wrongType = await send('name=x', 'text/plain');
    assert.equal(wrongType.status, 415);
    assert.match((await wrongType.json()).message, /application\/json/);
    const unknownField = await postJson(url, { ...good, admin: true });
    assert.equal(unknownField.status, 422);
    assert.equal(unknownField.json.fields.admin, 'Unknown field.');
    const notJson = await send('{"article":');
    assert.equal(notJson.status, 400);
    assert.equal((await notJson.json()).error, 'invalid_json');
    const array = await postJson(url, [good]);
    assert.equal(array.status, 422);
    const unknownArticle = await postJson(url, { ...good, article: 'no-such-article' });
    assert.equal(unknownArticle.status, 422);
    assert.ok(unknownArticle.json.fields.article);
    const wrongTypes = await postJson(url, { ...good, name: 42, consent: 'yes' });
    assert.equal(wrongTypes.status, 422);
    assert.deepEqual(Object.keys(wrongTypes.json.fields).sort(), ['consent', 'name']);
    const binary = await send(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]));
    assert.equal(binary.status, 400);
    const badKey = await postJson(url, good, { 'idempotency-key': 'x' });
    assert.equal(badKey.status, 400);
    const health = await getJson(`${t.url}/healthz`);
    assert.deepEqual(health.json, { status: 'ok' });
  });

  test('an article given by URL with tracking parameters is found', async () => {
    const res = await postJson(`${t.url}/api/v1/letters`, {
      ...good,
      email: 'url@example.com',
      article: 'http://theatlantic.com/international/archive/2010/10/is-pakistan-a-bigger-obstacle-to-peace-than-the-taliban/64874?utm_source=x#comments',
    });
    assert.equal(res.status, 202);
    assert.equal((await getJson(`${t.url}/api/v1/letters/${res.json.id}`, editor)).json.article.id, 'seed-isi-taliban');
  });
});
