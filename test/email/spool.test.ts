// SMTP is a spool (src/inbound/spool.ts): 250 once the message is stored as
// it came, then the background reads it into what it is, stores it
// compressed and fills in what reading it says. A redelivery is known at the
// door by its sender and Message-ID; a message whose letter cannot be stored
// stays waiting while its job is retried and is quarantined with the reason
// at the last attempt, never lost and never left unread.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { whileLettersRefused } from '../support/faults.ts';
import { getJson } from '../support/app.ts';
import { findInbound, listInbound, readInboundRaw, waitingToBeRead } from '../../src/db/repositories/inbound.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { finishPending } from '../../src/inbound/index.ts';
import { quarantines, WAITING } from '../../src/inbound/spool.ts';
import { MailPoolUnavailable } from '../../src/inbound/mail-pool.ts';
import { READING_ATTEMPTS } from '../../src/inbound/store.ts';
import { decompressRaw } from '../../src/inbound/raw.ts';
import { reprocessInbound } from '../../src/inbound/reprocess.ts';
import { inboundIdOf, LETTERS, startMailDesk, type MailDesk } from './support.ts';

function letter(tag: string, extraHead: string[] = []): string {
  return [
    ...extraHead,
    `From: Writer ${tag} <${tag}@example.org>`,
    `To: ${LETTERS}`,
    `Subject: The tram line (${tag})`,
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    `Message-ID: <${tag}@example.org>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Dear Editor,',
    '',
    `The tram line matters to all of us on the east bank, and the council has not said why it was cut (${tag}).`,
    '',
    `Writer ${tag}`,
    '',
  ].join('\r\n');
}

async function lettersWithMessageId(desk: MailDesk, messageId: string): Promise<number> {
  const r = await desk.ctx.db.writes.run((trx) => sql<{ n: number | string }>`select count(*) as n from letters where message_id = ${messageId}`.execute(trx));
  return Number(r.rows[0]!.n);
}

forEachDialect('SMTP spool', (dialect) => {
  let desk: MailDesk;
  let editor: string;
  before(async () => {
    desk = await startMailDesk(dialect);
    editor = await desk.token('editor');
  });
  after(() => desk.close());

  test('answered once stored as it came, before it is read; the background then makes it a letter, stored compressed', async () => {
    const raw = letter('spool-1');
    const sent = await desk.send(raw, { from: 'spool-1@example.org' }, { read: false });
    assert.ok(sent.ok, sent.response);
    assert.match(sent.response, /^250 2\.0\.0 queued as /);
    const id = inboundIdOf(sent.response);

    const waiting = (await findInbound(desk.ctx.db, id))!;
    assert.equal(waiting.status, 'received');
    assert.equal(waiting.reason, WAITING);
    assert.equal(waiting.letterId, null);
    assert.equal(waiting.messageId, null, 'nothing read out of it yet');
    assert.equal((await readInboundRaw(desk.ctx.db, id))!.compression, 'none');
    assert.equal(await lettersWithMessageId(desk, '<spool-1@example.org>'), 0);
    // An operator can already see it, and fetch what came; the tray says one message waits to be read.
    const listed = await getJson(`${desk.url}/api/v1/inbound/${id}`, await desk.token('admin'));
    assert.equal(listed.json.status, 'received');
    const tray = await getJson(`${desk.url}/api/v1/tray/waiting`, editor);
    assert.deepEqual(tray.json, { count: 1, more: false, oldestAt: waiting.receivedAt.toISOString() });

    await desk.readSpooled();
    assert.deepEqual((await getJson(`${desk.url}/api/v1/tray/waiting`, editor)).json, { count: 0, more: false, oldestAt: null });
    const row = (await findInbound(desk.ctx.db, id))!;
    assert.equal(row.status, 'letter');
    assert.equal(row.kind, 'letter');
    assert.equal(row.messageId, '<spool-1@example.org>');
    assert.equal(row.fromAddress, 'spool-1@example.org');
    assert.equal(row.subject, 'The tram line (spool-1)');
    // Checked when read (no DNS in tests: "none"), on the row and in the letter's meta, which screening reads.
    assert.equal(row.auth.spf, 'none', `auth read: ${JSON.stringify(row.auth)}`);
    assert.equal(row.auth.error, undefined);
    const stored = (await readInboundRaw(desk.ctx.db, id))!;
    assert.equal(stored.compression, 'br');
    assert.equal((await decompressRaw(stored.compression, stored.raw)).toString('latin1'), raw, 'the stored bytes are the bytes that came');
    const { json } = await getJson(`${desk.url}/api/v1/letters/${row.letterId}`, editor);
    assert.match(json.body, /The tram line matters to all of us/);
    assert.equal(json.inbound.id, id);
    assert.deepEqual([json.inbound.auth.spf, json.inbound.auth.dkim, json.inbound.auth.dmarc, json.inbound.auth.error], ['none', 'none', 'none', undefined]);
    await desk.drainEvents();
    assert.equal((await listOutbox(desk.ctx.db, { limit: 1000 })).filter((m) => m.letterId === row.letterId && m.kind === 'acknowledgement').length, 1);
  });

  test('mail waiting to be read is counted up to a bound, with when the oldest came', async () => {
    const ids: string[] = [];
    for (const tag of ['spool-w1', 'spool-w2', 'spool-w3']) {
      const sent = await desk.send(letter(tag), { from: `${tag}@example.org` }, { read: false });
      ids.push(inboundIdOf(sent.ok ? sent.response : ''));
    }
    const oldest = (await findInbound(desk.ctx.db, ids[0]!))!.receivedAt;
    assert.deepEqual(await waitingToBeRead(desk.ctx.db, 2), { count: 2, more: true, oldestAt: oldest });
    assert.deepEqual(await waitingToBeRead(desk.ctx.db, 3), { count: 3, more: false, oldestAt: oldest });
    await desk.readSpooled();
    assert.deepEqual(await waitingToBeRead(desk.ctx.db, 3), { count: 0, more: false, oldestAt: null });
  });

  test('a redelivery is known at the door by sender and Message-ID, read or not, even with other bytes: one row, one letter', async () => {
    const first = await desk.send(letter('spool-2'), { from: 'spool-2@example.org' }, { read: false });
    // The same message again before it is read, and again through another route (a Received line on top).
    const again = await desk.send(letter('spool-2'), { from: 'spool-2@example.org' }, { read: false });
    const rerouted = await desk.send(letter('spool-2', ['Received: from relay.example.net by mx.example.com; Tue, 24 Nov 2026 10:01:00 +0000']), { from: 'spool-2@example.org' }, { read: false });
    const id = inboundIdOf(first.ok ? first.response : '');
    assert.ok(again.ok && rerouted.ok);
    assert.equal(again.response, `250 2.0.0 already received as ${id}`);
    assert.equal(inboundIdOf(rerouted.response), id);
    await desk.readSpooled();
    const later = await desk.send(letter('spool-2'), { from: 'spool-2@example.org' });
    assert.equal(later.ok && inboundIdOf(later.response), id);
    assert.equal((await listInbound(desk.ctx.db, { limit: 1000 })).filter((r) => r.messageId === '<spool-2@example.org>').length, 1);
    assert.equal(await lettersWithMessageId(desk, '<spool-2@example.org>'), 1);
  });

  test('a message whose letter the database refuses waits while its job is retried, then is quarantined with the reason', async () => {
    const { db } = desk.ctx;
    await whileLettersRefused(db, '<spool-3@example.org>', async () => {
      const sent = await desk.send(letter('spool-3'), { from: 'spool-3@example.org' }, { read: false });
      assert.ok(sent.ok, 'stored and answered: the fault is met only when it is read');
      const id = inboundIdOf(sent.response);
      // The job's first attempts: the message stays waiting, to be read again.
      await assert.rejects(finishPending(desk.ctx, id, { attempt: 1 }), /refused/);
      await desk.desk.background.runJobs();
      assert.equal((await findInbound(db, id))!.status, 'received');
      const jobOf = async () =>
        (await db.writes.run((trx) => sql<{ id: string; attempts: number | string; last_error: string | null; done_at: unknown }>`select id, attempts, last_error, done_at from jobs where kind = 'process_inbound' and cast(payload as text) like ${`%${id}%`}`.execute(trx))).rows[0]!;
      const job = await jobOf();
      assert.equal(Number(job.attempts), 1, 'the job failed once and waits to be retried');
      assert.match(job.last_error ?? '', /refused/);
      // Its attempt READING_ATTEMPTS.quarantineAt, run by the job runner: quarantined with the reason, what reading it said kept.
      await db.writes.run((trx) => sql`update jobs set attempts = ${READING_ATTEMPTS.quarantineAt - 1}, run_at = ${db.dialect.time(new Date(Date.now() - 1000))} where id = ${job.id}`.execute(trx));
      await desk.desk.background.runJobs();
      assert.ok((await jobOf()).done_at, 'the job is done');
      const row = (await findInbound(db, id))!;
      assert.equal(row.status, 'quarantined');
      assert.match(row.quarantineReason ?? '', /could not be stored as a letter: .*this letter is refused/);
      assert.equal(row.messageId, '<spool-3@example.org>');
      assert.equal((await readInboundRaw(db, id))!.compression, 'br');
      assert.equal(await lettersWithMessageId(desk, '<spool-3@example.org>'), 0);
    });
  });

  test('a message that cannot even be read (its stored bytes damaged) is quarantined at its last attempt, saying so', async () => {
    const { db } = desk.ctx;
    const sent = await desk.send(letter('spool-5'), { from: 'spool-5@example.org' }, { read: false });
    const id = inboundIdOf(sent.ok ? sent.response : '');
    const intact = (await readInboundRaw(db, id))!;
    await db.writes.run((trx) => sql`update inbound_messages set compression = 'br', raw = ${new Uint8Array([0, 255, 1, 254])} where id = ${id}`.execute(trx));
    try {
      await assert.rejects(finishPending(desk.ctx, id, { attempt: READING_ATTEMPTS.quarantineAt - 1 }));
      assert.equal((await findInbound(db, id))!.status, 'received', 'waits for the next attempt');
      const out = await finishPending(desk.ctx, id, { attempt: READING_ATTEMPTS.quarantineAt });
      assert.equal(out?.status, 'quarantined');
      const row = (await findInbound(db, id))!;
      assert.equal(row.status, 'quarantined');
      assert.match(row.quarantineReason ?? '', /^could not be read: /);
    } finally {
      // Mended, as an operator would before reprocessing it (the test below reprocesses every message).
      await db.writes.run((trx) => sql`update inbound_messages set compression = ${intact.compression}, raw = ${intact.raw} where id = ${id}`.execute(trx));
    }
  });

  test('a reply read by its job and by `mail reprocess` at once is threaded onto its letter once', async () => {
    const first = await desk.send(letter('spool-6'), { from: 'spool-6@example.org' });
    const row = (await findInbound(desk.ctx.db, inboundIdOf(first.ok ? first.response : '')))!;
    await desk.drainEvents();
    const ack = (await listOutbox(desk.ctx.db, { limit: 1000 })).find((m) => m.letterId === row.letterId)!;
    const reply = [
      'From: Writer spool-6 <spool-6@example.org>',
      `To: ${LETTERS}`,
      'Subject: Re: your letter',
      'Message-ID: <spool-6-reply@example.org>',
      `In-Reply-To: ${ack.messageId}`,
      '',
      'A correction: the line was cut in 2024, not 2023.',
      '',
    ].join('\r\n');
    const sent = await desk.send(reply, { from: 'spool-6@example.org' }, { read: false });
    const id = inboundIdOf(sent.ok ? sent.response : '');
    const outcomes = await Promise.all([finishPending(desk.ctx, id), finishPending(desk.ctx, id), reprocessInbound(desk.ctx)]);
    assert.ok([outcomes[0], outcomes[1]].filter((o) => o?.status === 'thread_reply').length <= 1, 'settled by one of them');
    assert.equal((await findInbound(desk.ctx.db, id))!.status, 'thread_reply');
    const { json } = await getJson(`${desk.url}/api/v1/letters/${row.letterId}`, editor);
    assert.equal(json.history.filter((h: { action: string }) => h.action === 'writer_reply').length, 1);
  });

  test('the same message through a webhook before its job reads it: read from the bytes SMTP stored, one letter', async () => {
    const raw = letter('spool-7');
    const sent = await desk.send(raw, { from: 'spool-7@example.org' }, { read: false });
    const id = inboundIdOf(sent.ok ? sent.response : '');
    const hook = await fetch(`${desk.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${await desk.token('inbound')}`, 'content-type': 'message/rfc822' }, body: raw });
    assert.equal(hook.status, 202);
    const answer = await hook.json();
    assert.deepEqual([answer.id, answer.status, answer.duplicate], [id, 'letter', true]);
    const row = (await findInbound(desk.ctx.db, id))!;
    assert.equal(row.messageId, '<spool-7@example.org>');
    assert.equal((await readInboundRaw(desk.ctx.db, id))!.compression, 'br');
    await desk.readSpooled();
    assert.equal(await lettersWithMessageId(desk, '<spool-7@example.org>'), 1);
  });

  test('unreadable mail and machine mail are answered 250 too, then go to quarantine and the tray with the reason', async () => {
    const junk = await desk.send('\r\n\r\n', { from: 'junk@example.org' }, { read: false });
    const bounce = await desk.send(
      ['From: MAILER-DAEMON@mx.example.net', `To: ${LETTERS}`, 'Subject: Undelivered Mail Returned to Sender', 'Message-ID: <bounce-spool@mx.example.net>', 'Auto-Submitted: auto-replied', 'Content-Type: text/plain', '', 'This is the mail system at host mx.example.net. Your message could not be delivered.', ''].join('\r\n'),
      { from: '' },
      { read: false },
    );
    assert.ok(junk.ok && bounce.ok, `${junk.response} / ${bounce.response}`);
    await desk.readSpooled();
    const junkRow = (await findInbound(desk.ctx.db, inboundIdOf(junk.response)))!;
    assert.equal(junkRow.status, 'quarantined');
    assert.ok(junkRow.quarantineReason, 'quarantined with a reason');
    const bounceRow = (await findInbound(desk.ctx.db, inboundIdOf(bounce.response)))!;
    assert.equal(bounceRow.status, 'tray');
    assert.notEqual(bounceRow.kind, 'letter');
    await desk.drainEvents();
    const answered = (await listOutbox(desk.ctx.db, { limit: 1000 })).filter((m) => m.to.address === 'MAILER-DAEMON@mx.example.net');
    assert.equal(answered.length, 0, 'machine mail is never answered');
  });

  test('`letterdesk mail reprocess` reads a message still waiting, once', async () => {
    const sent = await desk.send(letter('spool-4'), { from: 'spool-4@example.org' }, { read: false });
    const id = inboundIdOf(sent.ok ? sent.response : '');
    const report = await reprocessInbound(desk.ctx);
    assert.deepEqual(report.errors, []);
    assert.ok(report.lettersCreated >= 1);
    assert.equal((await findInbound(desk.ctx.db, id))!.status, 'letter');
    // The job queued with it finds it read and does nothing.
    await desk.desk.background.runJobs();
    assert.equal(await lettersWithMessageId(desk, '<spool-4@example.org>'), 1);
  });
});

test("the reading job's rule: the message's own fault quarantines from the tenth attempt, the desk's (busy) only after a month or at a last attempt", () => {
  const own = new Error('this letter is refused');
  const busy = new MailPoolUnavailable('waited too long');
  const at = READING_ATTEMPTS.quarantineAt;
  assert.equal(quarantines(own, {}), false, 'not a job: only thrown');
  assert.equal(quarantines(own, { attempt: at - 1 }), false);
  assert.equal(quarantines(own, { attempt: at }), true);
  assert.equal(quarantines(busy, { attempt: at }), false, 'waiting for the desk is never the message\'s fault');
  assert.equal(quarantines(busy, { attempt: READING_ATTEMPTS.anyFaultAt - 1 }), false);
  assert.equal(quarantines(busy, { attempt: READING_ATTEMPTS.anyFaultAt }), true);
  assert.equal(quarantines(busy, { attempt: 3, last: true }), true, "a job's last attempt (an earlier version's, with fewer)");
});
