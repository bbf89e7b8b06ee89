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

  // An auto-reply that carries a letter: the quoted message and the "-- " signature are not the writer's text.
  const outOfOffice = (n: number) =>
    Buffer.from(
      `From: Ann Reader <ann@example.org>\r\nTo: letters@review.example.com\r\nSubject: Automatic reply: Your letter\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-${n}@example.org>\r\n\r\n` +
        'I am away until Monday. While I am: the council must finish the tram line\r\nbefore it asks the town for more money, and it should say when.\r\n\r\nAnn Reader\r\nEastbank\r\n\r\n' +
        '-- \r\nAnn Reader | Eastbank Cycling Club | +44 1632 960000\r\n\r\n' +
        'On Mon, 1 Nov 2010 at 10:00, Letters Desk <letters@review.example.com> wrote:\r\n> Thank you for your letter about the tram.\r\n',
    );

  test('two editors releasing the same tray item at once both get its one letter', async () => {
    const dir = `${FIXTURES}set-of-emails/`;
    const autoreplies = fs.readdirSync(dir).filter((f) => f.startsWith('rfc3834'));
    const auto = await post(fs.readFileSync(dir + autoreplies[2]!));
    assert.equal(auto.json.status, 'tray');
    const editor = await t.token('editor');
    const release = () => fetch(`${t.url}/api/v1/inbound/${auto.json.id}/release`, { method: 'POST', headers: { authorization: `Bearer ${editor}` } });
    const answers = await Promise.all([release(), release(), release()]);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    // Each is told the letter (or, once it is one, that the message is a letter already): never a server error.
    for (const [i, a] of answers.entries()) assert.ok(a.status === 200 || a.status === 409, `release ${i}: ${a.status} ${JSON.stringify(bodies[i])}`);
    const ids = new Set(bodies.filter((b) => b.letterId).map((b) => b.letterId));
    assert.equal(ids.size, 1, 'one letter');
  });

  test('a tray item shows what the mail said; released, the letter is read out of it', async () => {
    const editor = await t.token('editor');
    const bounce = await post(fs.readFileSync(`${FIXTURES}set-of-emails/rfc3464-01.eml`));
    const auto = await post(outOfOffice(1));
    assert.equal(bounce.json.status, 'tray');
    assert.equal(auto.json.kind, 'autoreply');
    assert.equal(auto.json.status, 'tray');
    const shown = await getJson(`${t.url}/api/v1/inbound/${bounce.json.id}/message`, editor);
    assert.match(shown.json.text, /Your message to <nekochan> was automatically rejected:\nNot enough disk space/);
    // The whole text, quote and signature too: an editor reads what arrived.
    const opened = await getJson(`${t.url}/api/v1/inbound/${auto.json.id}/message`, editor);
    assert.match(opened.json.text, /^I am away until Monday\./);
    assert.match(opened.json.text, /> Thank you for your letter about the tram\./);

    const res = await fetch(`${t.url}/api/v1/inbound/${auto.json.id}/release`, { method: 'POST', headers: { authorization: `Bearer ${editor}` } });
    assert.equal(res.status, 200);
    const letter = await getJson(`${t.url}/api/v1/letters/${(await res.json()).letterId}`, editor);
    assert.equal(letter.json.body, 'I am away until Monday. While I am: the council must finish the tram line\nbefore it asks the town for more money, and it should say when.\n\nAnn Reader\nEastbank');
    assert.equal(letter.json.writer.email, 'ann@example.org');
    assert.equal(letter.json.writer.name, 'Ann Reader');
  });

  test('a tray item whose raw mail is gone cannot be released, and says why', async () => {
    const auto = await post(outOfOffice(2));
    assert.equal(auto.json.status, 'tray');
    await t.ctx.db.writes.run((trx) => trx.updateTable('inbound_messages').set({ compression: 'pruned', raw: new Uint8Array(0) }).where('id', '=', auto.json.id).execute());
    const res = await fetch(`${t.url}/api/v1/inbound/${auto.json.id}/release`, { method: 'POST', headers: { authorization: `Bearer ${await t.token('editor')}` } });
    assert.equal(res.status, 410);
    assert.match((await res.json()).message ?? '', /no longer kept/);
    const still = await getJson(`${t.url}/api/v1/inbound/${auto.json.id}`, await t.token('editor'));
    assert.equal(still.json.status, 'tray');
  });
});

