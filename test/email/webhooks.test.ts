// Mail in over HTTP: the raw-MIME webhook with all of set-of-emails (bounces,
// feedback reports, auto-replies: none becomes a letter, none is answered),
// Postmark's and Mailgun's formats, and the tray's downloads (raw message,
// attachments: always downloads with a neutral type) and who may use them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { getJson, postJson } from '../support/app.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { findInbound } from '../../src/db/repositories/inbound.ts';
import { LETTERS, startMailDesk, type MailDesk } from './support.ts';

const SET = `${FIXTURES}set-of-emails/`;
const setFiles = fs.readdirSync(SET).filter((f) => f.endsWith('.eml')).sort();

async function postRaw(desk: MailDesk, raw: Buffer | string, token: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${desk.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${token}` }, body: typeof raw === 'string' ? raw : new Uint8Array(raw) });
  return { status: res.status, json: await res.json() };
}

forEachDialect('mail webhooks', (dialect) => {
  let desk: MailDesk;
  let inbound: string;
  let editor: string;
  let viewer: string;
  before(async () => {
    desk = await startMailDesk(dialect);
    inbound = await desk.token('inbound');
    editor = await desk.token('editor');
    viewer = await desk.token('viewer');
  });
  after(() => desk.close());

  test(`set-of-emails (${setFiles.length} messages): none becomes a letter, none is answered`, async () => {
    const kinds: Record<string, number> = {};
    for (const f of setFiles) {
      const { status, json } = await postRaw(desk, fs.readFileSync(SET + f), inbound);
      assert.equal(status, 202, `${f}: ${JSON.stringify(json)}`);
      assert.notEqual(json.kind, 'letter', `${f} became a letter: ${json.reason}`);
      assert.ok(json.status === 'tray' || json.status === 'quarantined', `${f}: ${json.status}`);
      kinds[json.kind ?? 'quarantined'] = (kinds[json.kind ?? 'quarantined'] ?? 0) + 1;
    }
    await desk.drainEvents();
    assert.equal((await listOutbox(desk.ctx.db, { limit: 10 })).length, 0, 'nothing answered');
    const { json } = await getJson(`${desk.url}/api/v1/letters`, editor);
    assert.equal(json.items.length, 0);
    console.log(`set-of-emails kinds: ${JSON.stringify(kinds)}`);
  });

  test('the raw webhook wants message/rfc822 and the inbound or admin role', async () => {
    const raw = fs.readFileSync(`${FIXTURES}corpus/mail/msg-001.eml`);
    assert.equal((await fetch(`${desk.url}/api/v1/inbound/raw`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw })).status, 401);
    assert.equal((await postRaw(desk, raw, editor)).status, 403);
    const asJson = await postJson(`${desk.url}/api/v1/inbound/raw`, { raw: 'x' }, { authorization: `Bearer ${inbound}` });
    assert.equal(asJson.status, 415);
    const ok = await postRaw(desk, raw, inbound);
    assert.equal(ok.status, 202);
    assert.equal(ok.json.kind, 'letter');
    const again = await postRaw(desk, raw, await desk.token('admin'));
    assert.deepEqual([again.status, again.json.id, again.json.duplicate], [202, ok.json.id, true]);
  });

  test('the tray downloads: raw message and attachments as downloads, for editors only', async () => {
    const raw = fs.readFileSync(`${FIXTURES}corpus/mail/msg-024.eml`);
    const { json: stored } = await postRaw(desk, raw, inbound);
    const { json: detail } = await getJson(`${desk.url}/api/v1/inbound/${stored.id}`, viewer);
    assert.ok(detail.attachments.length >= 1, 'attachments listed');
    assert.equal((await fetch(`${desk.url}${detail.rawUrl}`, { headers: { authorization: `Bearer ${viewer}` } })).status, 403);
    const rawRes = await fetch(`${desk.url}${detail.rawUrl}`, { headers: { authorization: `Bearer ${editor}` } });
    assert.equal(rawRes.status, 200);
    assert.match(rawRes.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.ok(Buffer.from(await rawRes.arrayBuffer()).equals(raw), 'raw bytes come back unchanged');
    const att = detail.attachments[0];
    const attRes = await fetch(`${desk.url}${att.url}`, { headers: { authorization: `Bearer ${editor}` } });
    assert.equal(attRes.status, 200);
    assert.equal(attRes.headers.get('content-type'), 'application/octet-stream');
    assert.match(attRes.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.equal(attRes.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(Buffer.from(await attRes.arrayBuffer()).length, att.size);
    assert.equal((await fetch(`${desk.url}/api/v1/inbound/${stored.id}/attachments/99`, { headers: { authorization: `Bearer ${editor}` } })).status, 404);
  });

  test("Postmark's inbound JSON becomes a letter (and its retry does not), with basic auth from the webhook URL", async () => {
    const payload = {
      From: 'ada@example.org',
      FromName: 'Ada Lovelace',
      FromFull: { Email: 'ada@example.org', Name: 'Ada Lovelace', MailboxHash: '' },
      To: LETTERS,
      ToFull: [{ Email: LETTERS, Name: '', MailboxHash: '' }],
      OriginalRecipient: LETTERS,
      Subject: 'The museum maps',
      MessageID: '22c74902-a0c1-4511-804f-341342852c90',
      Date: 'Tue, 24 Nov 2026 09:00:00 +0000',
      TextBody: 'Dear Editor,\n\nThe maps found in the basement drawer should be shown to the public before they are restored.\n\nAda Lovelace',
      HtmlBody: '',
      StrippedTextReply: '',
      Headers: [{ Name: 'Message-ID', Value: '<pm-1@example.org>' }, { Name: 'X-Spam-Status', Value: 'No' }],
      Attachments: [{ Name: 'note.txt', Content: Buffer.from('a note').toString('base64'), ContentType: 'text/plain', ContentLength: 6 }],
    };
    const basic = `Basic ${Buffer.from(`postmark:${inbound}`).toString('base64')}`;
    const r = await postJson(`${desk.url}/api/v1/inbound/postmark`, payload, { authorization: basic });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.kind, 'letter');
    const retry = await postJson(`${desk.url}/api/v1/inbound/postmark`, payload, { authorization: basic });
    assert.deepEqual([retry.json.id, retry.json.duplicate], [r.json.id, true]);
    const row = (await findInbound(desk.ctx.db, r.json.id))!;
    assert.equal(row.source, 'postmark');
    assert.equal(row.messageId, '<pm-1@example.org>');
    assert.equal(row.attachments.length, 1);
    const { json } = await getJson(`${desk.url}/api/v1/letters/${row.letterId}`, editor);
    assert.match(json.body, /shown to the public before they are restored/);
    assert.equal(json.writer.email, 'ada@example.org');
    const wrong = await postJson(`${desk.url}/api/v1/inbound/postmark`, payload, { authorization: `Basic ${Buffer.from('postmark:nope').toString('base64')}` });
    assert.equal(wrong.status, 401);
    assert.equal((await postJson(`${desk.url}/api/v1/inbound/postmark`, [1, 2], { authorization: basic })).status, 400);
  });

  test("Mailgun's parsed form, its multipart form with an attachment, and its raw body-mime", async () => {
    const auth = { authorization: `Bearer ${inbound}` };
    const fields = {
      recipient: LETTERS,
      sender: 'grace@example.net',
      from: 'Grace Hopper <grace@example.net>',
      subject: 'School funding formula',
      'body-plain': 'Dear Editor,\n\nThe funding formula punishes small rural schools for being small.\n\nGrace Hopper',
      'message-headers': JSON.stringify([['Message-Id', '<mg-1@example.net>'], ['From', 'Grace Hopper <grace@example.net>'], ['Subject', 'School funding formula']]),
      timestamp: '1764000000',
      token: 't'.repeat(50),
      signature: 'x',
    };
    const form = await fetch(`${desk.url}/api/v1/inbound/mailgun`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const a = await form.json();
    assert.equal(form.status, 200, JSON.stringify(a));
    assert.equal(a.kind, 'letter');
    const row = (await findInbound(desk.ctx.db, a.id))!;
    assert.equal(row.messageId, '<mg-1@example.net>');
    assert.equal(row.source, 'mailgun');

    const multi = new FormData();
    for (const [k, v] of Object.entries({ ...fields, 'message-headers': JSON.stringify([['Message-Id', '<mg-2@example.net>'], ['Auto-Submitted', 'auto-replied']]) })) multi.append(k, v);
    multi.append('attachment-1', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const m = await fetch(`${desk.url}/api/v1/inbound/mailgun`, { method: 'POST', headers: auth, body: multi });
    const mj = await m.json();
    assert.equal(m.status, 200, JSON.stringify(mj));
    assert.equal(mj.kind, 'autoreply', 'original headers survive the rebuild');
    assert.equal((await findInbound(desk.ctx.db, mj.id))!.attachments.length, 1);

    const mime = new FormData();
    mime.append('recipient', LETTERS);
    mime.append('sender', 'hsimms@example.net');
    mime.append('body-mime', fs.readFileSync(`${FIXTURES}corpus/mail/msg-005.eml`, 'latin1'));
    const r = await fetch(`${desk.url}/api/v1/inbound/mailgun/mime`, { method: 'POST', headers: auth, body: mime });
    const rj = await r.json();
    assert.equal(r.status, 200, JSON.stringify(rj));
    assert.equal(rj.kind, 'letter');

    const bad = await fetch(`${desk.url}/api/v1/inbound/mailgun`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'nothing=here' });
    assert.equal(bad.status, 406);
  });

  test('the letter record shows its message and authentication results', async () => {
    const { json: list } = await getJson(`${desk.url}/api/v1/inbound?status=letter`, editor);
    const item = list.items[0];
    const { json } = await getJson(`${desk.url}/api/v1/letters/${item.letterId}`, editor);
    assert.equal(json.inbound.id, item.id);
    assert.deepEqual(Object.keys(json.inbound.auth).filter((k) => ['spf', 'dkim', 'dmarc'].includes(k)).sort(), ['dkim', 'dmarc', 'spf']);
  });
});
