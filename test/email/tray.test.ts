// The desk's system tray lists what is kept out of the queue — auto-replies,
// bounces, spam — and quarantined mail, each with the reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, startTestApp, type TestApp } from '../support/app.ts';
import { FIXTURES } from '../support/fixtures.ts';

forEachDialect('system tray', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off' });
  });
  after(async () => t?.close());

  async function post(raw: Buffer): Promise<{ status: number; json: any }> {
    const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await t.token('inbound')}` }, body: new Uint8Array(raw) });
    return { status: res.status, json: await res.json() };
  }

  test('auto-replies and bounces are listed with their reason; letters are not', async () => {
    const dir = `${FIXTURES}set-of-emails/`;
    const autoreply = fs.readdirSync(dir).find((f) => f.startsWith('rfc3834'))!;
    const bounce = fs.readdirSync(dir).find((f) => f.startsWith('rfc3464'))!;
    assert.equal((await post(fs.readFileSync(dir + autoreply))).json.kind, 'autoreply');
    assert.equal((await post(fs.readFileSync(dir + bounce))).json.kind, 'bounce');
    const letter = fs.readFileSync(`${FIXTURES}corpus/mail/msg-001.eml`);
    assert.equal((await post(letter)).json.kind, 'letter');
    const tray = await getJson(`${t.url}/api/v1/tray`, await t.token('viewer'));
    assert.equal(tray.status, 200);
    const kinds = tray.json.items.map((i: { kind: string }) => i.kind).sort();
    assert.deepEqual(kinds, ['autoreply', 'bounce']);
    for (const item of tray.json.items) assert.ok(item.reason.length > 5, `a reason for ${item.kind}`);
    const onlyBounces = await getJson(`${t.url}/api/v1/tray?kind=bounce`, await t.token('viewer'));
    assert.deepEqual(onlyBounces.json.items.map((i: { kind: string }) => i.kind), ['bounce']);
  });

  test('an editor moves a misjudged message from the tray to the queue; only former spam is acknowledged', async () => {
    const labels = fs.readFileSync(`${FIXTURES}corpus/labels.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    // One that does not forge the letters address (that one is never answered: loop guard).
    const spamFile = labels.find((l: { kind: string; writerEmail: string }) => l.kind === 'spam' && !l.writerEmail.startsWith('letters@')).file;
    const spam = await post(fs.readFileSync(`${FIXTURES}corpus/mail/${spamFile}`));
    assert.equal(spam.json.kind, 'spam');
    const editor = await t.token('editor');
    const release = (id: string, token: string) => fetch(`${t.url}/api/v1/inbound/${id}/release`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await release(spam.json.id, await t.token('viewer'))).status, 403);
    const res = await release(spam.json.id, editor);
    assert.equal(res.status, 200);
    const { letterId } = await res.json();
    const letter = await getJson(`${t.url}/api/v1/letters/${letterId}`, editor);
    assert.equal(letter.json.status, 'new');
    assert.equal(letter.json.source, 'email');
    assert.ok(letter.json.history.some((h: { actor: string }) => h.actor === 'token:test editor'), 'the release is on record');
    await t.drainEvents();
    const mail = await getJson(`${t.url}/api/v1/outbox?letter=${letterId}`, await t.token('admin'));
    assert.equal(mail.json.items.length, 1, 'a released spam letter is acknowledged');
    assert.equal((await release(spam.json.id, editor)).status, 409, 'released once');
    const tray = await getJson(`${t.url}/api/v1/tray?kind=spam`, editor);
    assert.ok(!tray.json.items.some((i: { id: string }) => i.id === spam.json.id), 'gone from the tray');

    const dir = `${FIXTURES}set-of-emails/`;
    const autoreplies = fs.readdirSync(dir).filter((f) => f.startsWith('rfc3834'));
    const auto = await post(fs.readFileSync(dir + autoreplies[1]!));
    assert.equal(auto.json.kind, 'autoreply');
    const r2 = await release(auto.json.id, editor);
    if (r2.status === 200) {
      const id2 = (await r2.json()).letterId;
      await t.drainEvents();
      const mail2 = await getJson(`${t.url}/api/v1/outbox?letter=${id2}`, await t.token('admin'));
      assert.equal(mail2.json.items.length, 0, 'an auto-reply is never answered, even when released');
    } else {
      assert.equal(r2.status, 422, 'or it cannot become a letter, and says why');
    }
  });
});

