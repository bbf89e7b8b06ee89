// Reader text in the desk's own mail: names, subjects and Message-IDs with CR
// and LF (from the mail door, where nothing is refused, and straight into
// intake) never add a header to the mail sent to the writer, and the letter's
// text stays in the plain-text body. Checked on the bytes a real SMTP server
// receives from the desk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp } from '../support/app.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { jobsDueNow, outbox } from './helpers.ts';
import { relay } from '../support/outside.ts';

/** Header names of a raw message's header block, as a mail client reads them. */
const headerNames = (raw: string) =>
  raw
    .slice(0, raw.search(/\r?\n\r?\n/))
    .split(/\r?\n(?![ \t])/)
    .map((l) => l.slice(0, l.indexOf(':')).toLowerCase());

const INJECTIONS = ['Bcc: victim@example.org', 'X-Injected: yes', 'Content-Type: text/html'];
const hostile = (s: string) => `${s}\r\n${INJECTIONS.join('\r\n')}\r\n\r\n<b>body?</b>`;
const word = (s: string) => `=?utf-8?b?${Buffer.from(s).toString('base64')}?=`;

forEachDialect('no header injection in the desk’s mail', (dialect) => {
  test('names and subjects with CR/LF, by the mail door and straight into intake: one To, no added header, text body', async () => {
    const smtp = await relay();
    const t = await startTestApp(dialect, { SMTP_URL: smtp.url, LETTERDESK_MAIL_DNS: 'off' });
    try {
      // By email: an encoded word carries CR/LF in the display name and the subject.
      const raw = `From: ${word(hostile('Pat Writer'))} <pat@example.net>\r\nTo: letters@review.example.com\r\nSubject: ${word(hostile('My letter'))}\r\nMessage-ID: <inj1@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear editor, the council should publish its minutes, all of them.\r\n`;
      const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${await t.token('inbound')}`, 'content-type': 'message/rfc822' }, body: raw });
      assert.equal(res.status, 202);
      // Straight into intake (as any future door would): the name itself holds the line breaks.
      await intakeLetter(t.ctx, {
        source: 'email',
        article: { id: 'seed-isi-taliban', method: 'url', confidence: 1 },
        writer: { name: hostile('Evil Name'), email: 'evil@example.net', town: hostile('Town') },
        subject: hostile('Subject'),
        body: hostile('Dear editor, a letter.'),
        consent: true,
        exclusive: false,
        pow: 'none',
        dedupeKey: null,
        messageId: '<inj2@example.net>',
        replyTo: { messageId: '<inj2@example.net>', references: [] },
        acknowledge: true,
        actor: 'test',
      });
      await outbox(t);
      for (let i = 0; i < 3; i++) {
        await jobsDueNow(t.ctx);
        await t.desk.background.runJobs();
      }
      assert.ok(smtp.received.length >= 2, `${smtp.received.length} mails sent`);
      for (const m of smtp.received) {
        const names = headerNames(m);
        for (const inj of ['bcc', 'x-injected']) assert.ok(!names.includes(inj), `${inj} added:\n${m.slice(0, 800)}`);
        assert.equal(names.filter((n) => n === 'to').length, 1);
        assert.equal(names.filter((n) => n === 'content-type').length, 1);
        const head = m.slice(0, m.search(/\r?\n\r?\n/));
        assert.match(head, /^Content-Type: text\/plain/im);
        assert.doesNotMatch(head, /^(Bcc|X-Injected):/im);
      }
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
