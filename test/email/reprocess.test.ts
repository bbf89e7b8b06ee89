// Re-processing after a parser upgrade: a message the old parser put in the
// tray becomes a letter (once, however often it runs), an untouched letter
// gets the new text, an edited letter keeps the editors' work, and every
// change is recorded. A message is stored with what it becomes, or not at
// all (and quarantined with the reason when the same fault meets its retry);
// one left stored but unsettled is finished by the process_inbound job.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'kysely';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { whileLettersRefused } from '../support/faults.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { finishPending, receiveMail } from '../../src/inbound/index.ts';
import { dedupeKeyOf } from '../../src/inbound/understand.ts';
import { readToStore } from '../../src/inbound/options.ts';
import { storeInbound } from '../../src/inbound/store.ts';
import { notChecked } from '../../src/inbound/auth.ts';
import { COMPRESSION } from '../../src/inbound/raw.ts';
import { runCommand } from '../../src/writes/commands.ts';
import { reprocessInbound } from '../../src/inbound/reprocess.ts';
import { findInbound } from '../../src/db/repositories/inbound.ts';
import { findLetterById } from '../../src/db/repositories/letters.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';

const mail = (f: string) => fs.readFileSync(`${FIXTURES}corpus/mail/${f}`);
const env = { mailFrom: null, rcptTo: ['letters@review.example.com'] };

forEachDialect('mail reprocess', (dialect) => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off' });
  });
  after(() => app.close());

  test('tray → letter once; untouched letter updated; edited letter kept; all recorded', async () => {
    const { db } = app.ctx;
    const misread = await receiveMail(app.ctx, mail('msg-002.eml'), env, 'smtp');
    const untouched = await receiveMail(app.ctx, mail('msg-003.eml'), env, 'smtp');
    const edited = await receiveMail(app.ctx, mail('msg-005.eml'), env, 'smtp');
    const bounce = await receiveMail(app.ctx, mail('msg-004.eml'), env, 'smtp');
    assert.deepEqual([misread.status, untouched.status, edited.status, bounce.status], ['letter', 'letter', 'letter', 'tray']);

    // What an older parser might have left behind.
    await db.writes.run((trx) => sql`delete from outbox where letter_id = ${misread.letterId}`.execute(trx));
    await db.writes.run((trx) => sql`delete from jobs`.execute(trx));
    await db.writes.run((trx) => sql`update inbound_messages set status = 'tray', kind = 'autoreply', reason = 'old parser', letter_id = null where id = ${misread.id}`.execute(trx));
    await db.writes.run((trx) => sql`delete from letter_events where letter_id = ${misread.letterId}`.execute(trx));
    await db.writes.run((trx) => sql`delete from letters where id = ${misread.letterId}`.execute(trx));
    await db.writes.run((trx) => sql`update letters set body = 'OLD EXTRACT', original = 'OLD' where id = ${untouched.letterId}`.execute(trx));
    await db.writes.run((trx) => sql`update letters set body = 'OLD EXTRACT', original = 'OLD', edited_body = 'The editor''s cut.' where id = ${edited.letterId}`.execute(trx));

    const first = await reprocessInbound(app.ctx);
    assert.equal(first.examined, 4);
    assert.equal(first.lettersCreated, 1);
    assert.equal(first.textUpdated, 1);
    assert.equal(first.editsKept, 1);
    assert.deepEqual(first.errors, []);

    const row = (await findInbound(db, misread.id))!;
    assert.equal(row.status, 'letter');
    assert.equal(row.kind, 'letter');
    assert.ok(row.history.some((h) => h.changes.kind?.from === 'autoreply'));
    assert.match((await findLetterById(db, row.letterId!))!.body, /I ride the 22 bus to work\./);
    assert.match((await findLetterById(db, untouched.letterId!))!.body, /after a stalking case/);
    const kept = (await findLetterById(db, edited.letterId!))!;
    assert.equal(kept.body, 'OLD EXTRACT');
    assert.equal(kept.editedBody, "The editor's cut.");
    assert.ok((await findInbound(db, edited.id))!.history.some((h) => 'letter.body' in h.changes));

    const second = await reprocessInbound(app.ctx);
    assert.equal(second.lettersCreated, 0);
    const count = await db.writes.run((trx) => sql<{ n: number | string }>`select count(*) as n from letters`.execute(trx));
    assert.equal(Number(count.rows[0]!.n), 3, 'no duplicate letters');
    assert.equal((await findInbound(db, bounce.id))!.status, 'tray');
    await app.drainEvents();
    const acks = (await listOutbox(db, { limit: 100 })).filter((m) => m.letterId === row.letterId);
    assert.equal(acks.length, 1, 'the recovered letter is acknowledged once');
  });

  test('a fault while storing a letter stores nothing of it: the sender retries, and the retry stores it once', async () => {
    const { db } = app.ctx;
    const raw = Buffer.from(mail('msg-013.eml').toString('latin1').replace(/^Message-ID:.*$/im, 'Message-ID: <pending-1@example.org>'), 'latin1');
    // Make intake fail: the message and its letter are one commit, so neither is stored.
    await db.writes.run((trx) => sql`alter table letters rename to letters_away`.execute(trx));
    await assert.rejects(receiveMail(app.ctx, raw, env, 'smtp'));
    await db.writes.run((trx) => sql`alter table letters_away rename to letters`.execute(trx));
    const stored = await db.writes.run((trx) => sql<{ id: string }>`select id from inbound_messages where message_id = '<pending-1@example.org>'`.execute(trx));
    assert.equal(stored.rows.length, 0, 'nothing stored: the sender was told to retry');
    const first = await receiveMail(app.ctx, raw, env, 'smtp');
    assert.equal(first.status, 'letter');
    const again = await receiveMail(app.ctx, raw, env, 'smtp');
    assert.deepEqual([again.id, again.duplicate, again.letterId], [first.id, true, first.letterId]);
    const letters = await db.writes.run((trx) => sql<{ n: number | string }>`select count(*) as n from letters where message_id = '<pending-1@example.org>'`.execute(trx));
    assert.equal(Number(letters.rows[0]!.n), 1);
  });

  test('a message whose letter cannot be stored is retried once, then kept quarantined with the reason: acknowledged, never lost', async () => {
    const { db } = app.ctx;
    const raw = Buffer.from(mail('msg-013.eml').toString('latin1').replace(/^Message-ID:.*$/im, 'Message-ID: <poison-1@example.org>'), 'latin1');
    // A fault in what this message becomes, met by every delivery of it: the database refuses its letter.
    await whileLettersRefused(db, '<poison-1@example.org>', async () => {
      // The first delivery: nothing stored, the sender is told to retry (a passing fault would be gone by then).
      await assert.rejects(receiveMail(app.ctx, raw, env, 'smtp'), /refused/);
      const none = await db.writes.run((trx) => sql<{ id: string }>`select id from inbound_messages where message_id = '<poison-1@example.org>'`.execute(trx));
      assert.equal(none.rows.length, 0);
      // The retry meets the same fault: the message is kept, quarantined with the reason, and acknowledged.
      const kept = await receiveMail(app.ctx, raw, env, 'smtp');
      assert.equal(kept.status, 'quarantined');
      const row = await findInbound(db, kept.id);
      assert.equal(row?.status, 'quarantined');
      assert.match(row?.quarantineReason ?? '', /could not be stored as a letter: .*this letter is refused/);
      // A later delivery is the same message, not a second one.
      const again = await receiveMail(app.ctx, raw, env, 'smtp');
      assert.deepEqual([again.id, again.duplicate], [kept.id, true]);
    });
  });

  test('a message stored but not settled (as an earlier version left it) is finished by the process_inbound job, once', async () => {
    const { db } = app.ctx;
    const raw = Buffer.from(mail('msg-013.eml').toString('latin1').replace(/^Message-ID:.*$/im, 'Message-ID: <pending-2@example.org>'), 'latin1');
    const { read, digest, compressed } = await readToStore(app.ctx, raw);
    assert.ok(read.ok);
    const id = '01900000-0000-7000-8000-00000000abcd';
    await runCommand(app.ctx, storeInbound, {
      message: {
        id, dedupeKey: dedupeKeyOf(read, env, digest), source: 'smtp', receivedAt: new Date(), mailFrom: null, rcptTo: env.rcptTo, remoteIp: null, helo: null,
        size: raw.byteLength, sha256: digest, compression: COMPRESSION, raw: compressed, messageId: read.messageId, fromAddress: read.from.address, fromName: read.from.name,
        subject: read.subject, kind: read.kind, reason: read.reason, status: 'received', quarantineReason: null, auth: notChecked('test'), spamScore: null,
        attachments: read.attachments, warnings: read.warnings,
      },
      final: null,
      readAt: new Date(Date.now() + 120_000),
    });
    const jobs = await db.writes.run((trx) => sql<{ n: number | string }>`select count(*) as n from jobs where kind = 'process_inbound'`.execute(trx));
    assert.ok(Number(jobs.rows[0]!.n) >= 1, 'a retry job is queued');
    await finishPending(app.ctx, id);
    await finishPending(app.ctx, id);
    const row = (await findInbound(db, id))!;
    assert.equal(row.status, 'letter');
    const letters = await db.writes.run((trx) => sql<{ n: number | string }>`select count(*) as n from letters where message_id = '<pending-2@example.org>'`.execute(trx));
    assert.equal(Number(letters.rows[0]!.n), 1);
    // A redelivery now finds it settled.
    const again = await receiveMail(app.ctx, raw, env, 'smtp');
    assert.deepEqual([again.id, again.duplicate, again.letterId], [row.id, true, row.letterId]);
  });
});
