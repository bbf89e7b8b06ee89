// The SMTP contract: 550 for other recipients, 552 over the size limit, 250
// only after the message is stored (it is read afterwards: spool.test.ts),
// 451 when the database fails (and nothing half-stored), a redelivery stored once, a reply to the desk's
// acknowledgement threaded onto its letter, hostile HTML kept as plain text.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson } from '../support/app.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { findInbound, listInbound } from '../../src/db/repositories/inbound.ts';
import { inboundIdOf, LETTERS, startMailDesk, type MailDesk } from './support.ts';

let seq = 0;
function letter(opts: { from?: string; messageId?: string; body?: string; headers?: string[]; html?: string } = {}): string {
  seq += 1;
  const from = opts.from ?? `writer${seq}@example.org`;
  const head = [
    `From: Writer ${seq} <${from}>`,
    `To: ${LETTERS}`,
    `Subject: On the tram line (${seq})`,
    `Date: Tue, 24 Nov 2026 10:00:00 +0000`,
    `Message-ID: ${opts.messageId ?? `<m${seq}.${Date.now()}@example.org>`}`,
    'MIME-Version: 1.0',
    ...(opts.headers ?? []),
  ];
  if (opts.html !== undefined) return [...head, 'Content-Type: text/html; charset=utf-8', '', opts.html, ''].join('\r\n');
  return [...head, 'Content-Type: text/plain; charset=utf-8', '', opts.body ?? `Dear Editor,\r\n\r\nThe tram line matters to all of us on the east bank (${seq}).\r\n\r\nSincerely,\r\nWriter ${seq}`, ''].join('\r\n');
}

async function countLetters(desk: MailDesk): Promise<number> {
  const r = await desk.ctx.db.writes.run((trx) => sql<{ n: number | string }>`select count(*) as n from letters`.execute(trx));
  return Number(r.rows[0]!.n);
}

forEachDialect('SMTP behaviour', (dialect) => {
  let desk: MailDesk;
  let editor: string;
  before(async () => {
    desk = await startMailDesk(dialect, { maxBytes: 64 * 1024 });
    editor = await desk.token('editor');
  });
  after(() => desk.close());

  test('another recipient is refused with 550 and a clear message; a +tag of the letters address is taken', async () => {
    const r = await desk.send(letter(), { to: ['editor@review.example.com'] });
    assert.equal(r.ok, false);
    assert.equal(r.ok === false && r.code, 550);
    assert.match(r.response, /letters@review\.example\.com only/);
    const tagged = await desk.send(letter(), { to: ['letters+tram@review.example.com'] });
    assert.ok(tagged.ok, tagged.response);
  });

  test('a message over the limit is refused with 552 and not stored', async () => {
    const before = (await listInbound(desk.ctx.db, { limit: 1000 })).length;
    const r = await desk.send(letter({ body: 'x'.repeat(100 * 1024) }));
    assert.equal(r.ok, false);
    assert.equal(r.ok === false && r.code, 552);
    assert.equal((await listInbound(desk.ctx.db, { limit: 1000 })).length, before);
  });

  test('a redelivered message (same sender, same Message-ID) is stored once and acknowledged once', async () => {
    const raw = letter({ from: 'twice@example.org', messageId: '<same-one@example.org>' });
    const first = await desk.send(raw, { from: 'twice@example.org' });
    const second = await desk.send(raw, { from: 'twice@example.org' });
    assert.ok(first.ok && second.ok);
    const id = inboundIdOf(first.response);
    assert.match(second.response, new RegExp(`already received as ${id}`));
    const rows = (await listInbound(desk.ctx.db, { limit: 1000 })).filter((r) => r.messageId === '<same-one@example.org>');
    assert.equal(rows.length, 1);
    await desk.drainEvents();
    const acks = (await listOutbox(desk.ctx.db, { limit: 1000 })).filter((m) => m.letterId === rows[0]!.letterId);
    assert.equal(acks.length, 1);
  });

  test('a reply to the acknowledgement is threaded onto its letter, not filed as a new one, and not answered', async () => {
    const sent = await desk.send(letter({ from: 'threader@example.org' }), { from: 'threader@example.org' });
    const row = (await findInbound(desk.ctx.db, inboundIdOf(sent.response)))!;
    await desk.drainEvents();
    const ack = (await listOutbox(desk.ctx.db, { limit: 1000 })).find((m) => m.letterId === row.letterId)!;
    const lettersBefore = await countLetters(desk);
    const reply = letter({
      from: 'threader@example.org',
      headers: [`In-Reply-To: ${ack.messageId}`, `References: ${row.messageId} ${ack.messageId}`],
      body: 'Please note a correction to my letter: the line opened in 1994, not 1996 as I wrote.\r\n\r\nOn Tue, 24 Nov 2026, The Example Review wrote:\r\n> Thank you for your letter.',
    });
    const r = await desk.send(reply, { from: 'threader@example.org' });
    assert.ok(r.ok, r.response);
    const replyRow = (await findInbound(desk.ctx.db, inboundIdOf(r.response)))!;
    assert.equal(replyRow.status, 'thread_reply');
    assert.equal(replyRow.letterId, row.letterId);
    assert.equal(await countLetters(desk), lettersBefore);
    const { json } = await getJson(`${desk.url}/api/v1/letters/${row.letterId}`, editor);
    const ev = json.history.find((h: { action: string }) => h.action === 'writer_reply');
    assert.ok(ev, 'writer_reply event');
    assert.match(ev.data.text, /opened in 1994/);
    assert.ok(!ev.data.text.includes('Thank you for your letter'));
    await desk.drainEvents();
    const answers = (await listOutbox(desk.ctx.db, { limit: 1000 })).filter((m) => m.letterId === row.letterId);
    assert.equal(answers.length, 1, 'only the first acknowledgement');
  });

  test('hostile HTML mail is stored as plain text', async () => {
    const html = `<html><body><p>Dear Editor, the council must act on the tram.</p><script>alert('x')</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)" onclick="steal()">read more</a><iframe src="https://evil.example.com"></iframe><p>Regards, Mallory</p></body></html>`;
    const r = await desk.send(letter({ from: 'mallory@example.net', html }), { from: 'mallory@example.net' });
    assert.ok(r.ok, r.response);
    const row = (await findInbound(desk.ctx.db, inboundIdOf(r.response)))!;
    const { json } = await getJson(`${desk.url}/api/v1/letters/${row.letterId}`, editor);
    assert.match(json.body, /council must act on the tram/);
    for (const field of [json.body, json.original]) {
      assert.doesNotMatch(field, /<script|<img|<iframe|onerror|onclick|javascript:/i);
    }
  });

  test('a database fault answers 451 and stores nothing; the sender can retry later', async () => {
    const lettersBefore = await countLetters(desk);
    await desk.drainEvents();
    const outboxBefore = (await listOutbox(desk.ctx.db, { limit: 1000 })).length;
    await desk.ctx.db.writes.run((trx) => sql`drop table inbound_messages`.execute(trx));
    const r = await desk.send(letter({ from: 'unlucky@example.org' }), { from: 'unlucky@example.org' });
    assert.equal(r.ok, false);
    assert.equal(r.ok === false && r.code, 451);
    assert.equal(await countLetters(desk), lettersBefore);
    await desk.drainEvents();
    assert.equal((await listOutbox(desk.ctx.db, { limit: 1000 })).length, outboxBefore);
  });
});
