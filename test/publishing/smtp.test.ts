// Outbound mail through SMTP_URL against a real local SMTP server that
// refuses the first attempt: the outbox keeps the mail, the job retries, and
// the mail arrives exactly once, threaded and marked automatic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp } from '../support/app.ts';
import { deliverMail } from '../../src/outbox/deliver.ts';
import { act, jobsDueNow, outbox, submitConfirmed } from './helpers.ts';

type Received = { to: string[]; raw: string };

async function smtpServer(refuseFirst: number): Promise<{ port: number; received: Received[]; attempts: () => number; close(): Promise<void> }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onMailFrom(_addr, _session, cb) {
      attempts++;
      if (attempts <= refuseFirst) {
        const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, attempts: () => attempts, close: () => new Promise((r) => server.close(() => r())) };
}

const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;

forEachDialect('outbound mail', (dialect) => {
  test('refused once, retried, delivered exactly once', async () => {
    const smtp = await smtpServer(1);
    const t = await startTestApp(dialect, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    try {
      const r = await fetch(`${t.url}/api/v1/letters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ article: 'seed-isi-taliban', name: 'Ned Albrecht', email: 'ned@example.org', town: 'Eastbank', body: 'If fines < profits and profits > 0, the law will not bite. Letters & <b>markup</b> stay text.', consent: true }),
      });
      const { id } = (await r.json()) as { id: string };
      await t.drainEvents();
      await t.desk.background.runJobs();
      let [ack] = (await outbox(t, id)).filter((m) => m.kind === 'acknowledgement');
      assert.equal(ack.status, 'pending', 'the refusal leaves the mail in the outbox');
      assert.equal(ack.attempts, 1);
      assert.match(ack.lastError, /451|Try again/);
      assert.equal(smtp.received.length, 0);

      for (let i = 0; i < 3; i++) {
        await jobsDueNow(t.ctx);
        await t.desk.background.runJobs();
      }
      [ack] = (await outbox(t, id)).filter((m) => m.kind === 'acknowledgement');
      assert.equal(ack.status, 'sent');
      assert.equal(smtp.received.length, 1);
      // A duplicate delivery job (or a second node) does not send it again.
      await deliverMail(t.ctx, ack.id);
      await jobsDueNow(t.ctx);
      await t.desk.background.runJobs();
      assert.equal(smtp.received.length, 1);

      const raw = smtp.received[0]!.raw;
      assert.deepEqual(smtp.received[0]!.to, ['ned@example.org']);
      assert.equal(header(raw, 'Message-ID'), ack.headers['Message-ID']);
      assert.match(header(raw, 'Auto-Submitted') ?? '', /^auto-/);
      assert.match(header(raw, 'Content-Type') ?? '', /^text\/plain/);
      assert.doesNotMatch(raw, /text\/html/);
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  test('the publication notice is threaded and carries the link', async () => {
    const smtp = await smtpServer(0);
    const t = await startTestApp(dialect, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    try {
      const id = await submitConfirmed(t);
      await act(t, id, { action: 'publish' });
      for (let i = 0; i < 3; i++) {
        await jobsDueNow(t.ctx);
        await t.desk.background.runJobs();
      }
      const mails = await outbox(t, id);
      assert.ok(mails.every((m) => m.status === 'sent'), JSON.stringify(mails.map((m) => [m.kind, m.status, m.lastError])));
      const notice = smtp.received.find((m) => /has been published/.test(m.raw))!;
      assert.ok(notice);
      const ack = mails.find((m) => m.kind === 'acknowledgement');
      assert.equal(header(notice.raw, 'In-Reply-To'), ack.headers['Message-ID']);
      assert.match(notice.raw, new RegExp(`/letters/${id}`));
      assert.equal(smtp.received.length, mails.length, 'each mail once');
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
