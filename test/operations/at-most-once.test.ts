// A node can die between the relay's (or a webhook receiver's) "accepted" and
// its own record of it. Outgoing mail and webhook deliveries are claimed
// (`sending`, committed) before the other side is called, so what such a node
// leaves behind is a claim whose lease runs out: another node then marks it
// `uncertain` and does not send it again; an admin may. A claim whose lease
// still runs belongs to a live node: nobody else touches it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { claimMail } from '../../src/db/repositories/outbox.ts';
import { claimDelivery } from '../../src/db/repositories/webhooks.ts';
import { jobsDueNow, outbox } from '../publishing/helpers.ts';
import { mail, receive } from '../screening-wiring/support.ts';
import { receiver, relay } from '../support/outside.ts';

/** Runs due jobs until none is due (twice over, making waiting ones due: time passing). */
async function runJobs(t: TestApp): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await t.drainEvents();
    await jobsDueNow(t.ctx);
    while ((await t.desk.background.runJobs()) > 0);
  }
}

/** A letter by email (acknowledged at once, no confirmation needed). */
async function letterByMail(t: TestApp, who: string): Promise<string> {
  const r = await receive(t, mail(`Writer ${who} <${who}@example.org>`, 'The footbridge', `The harbour footbridge is overdue, says ${who}.`));
  assert.ok(r.letterId, r.reason);
  return r.letterId;
}

const past = () => new Date(Date.now() - 1000);

forEachDialect('at most once, when a node dies mid-send', (dialect) => {
  test('a mail claimed by a node that died is left uncertain and not sent again; an admin may send it', async () => {
    const smtp = await relay();
    const t = await startTestApp(dialect, { SMTP_URL: smtp.url, LETTERDESK_MAIL_DNS: 'off' });
    try {
      const letters = [];
      for (const who of ['gone', 'alive']) letters.push(await letterByMail(t, who));
      await t.drainEvents();
      const [goneMail] = (await outbox(t, letters[0])).filter((m) => m.kind === 'acknowledgement');
      const [aliveMail] = (await outbox(t, letters[1])).filter((m) => m.kind === 'acknowledgement');
      // One node claimed the first and died (its lease ran out); another is still at the second.
      assert.ok(await claimMail(t.ctx.db, goneMail.id, -1000));
      assert.ok(await claimMail(t.ctx.db, aliveMail.id, 10 * 60_000));

      await runJobs(t);
      const byId = new Map((await outbox(t)).map((m: any) => [m.id, m]));
      assert.equal(byId.get(goneMail.id).status, 'uncertain');
      assert.match(byId.get(goneMail.id).lastError, /not sent again/);
      assert.equal(byId.get(aliveMail.id).status, 'sending', 'a live claim is left to its node');
      assert.equal(smtp.received.length, 0, 'neither was sent by this node');

      const metrics = await fetch(`${t.url}/metrics`).then((r) => r.text());
      assert.match(metrics, /letterdesk_mail_out_total\{outcome="uncertain"\} 1/);

      const admin = await t.token('admin');
      const resend = await postJson(`${t.url}/api/v1/outbox/${goneMail.id}/resend`, {}, { authorization: `Bearer ${admin}` });
      assert.equal(resend.status, 202);
      await runJobs(t);
      assert.equal(smtp.received.length, 1, 'sent once, when the admin said so');
      assert.equal((await outbox(t)).find((m: any) => m.id === goneMail.id).status, 'sent');
      const again = await postJson(`${t.url}/api/v1/outbox/${goneMail.id}/resend`, {}, { authorization: `Bearer ${admin}` });
      assert.equal(again.status, 409, 'a sent mail is not sent again');
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  test('a mail the relay took whose "sent" mark failed stays sending, then uncertain: never sent again', async () => {
    const smtp = await relay();
    const t = await startTestApp(dialect, { SMTP_URL: smtp.url, LETTERDESK_MAIL_DNS: 'off' });
    // The database refuses the mark for a moment (a dropped connection, a lock timed out).
    const refuse = dialect === 'sqlite'
      ? [`create trigger refuse_sent before update of status on outbox when new.status = 'sent' begin select raise(abort, 'refused for the test'); end`]
      : [`create function refuse_sent() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`, `create trigger refuse_sent before update on outbox for each row when (new.status = 'sent') execute function refuse_sent()`];
    const allow = dialect === 'sqlite' ? ['drop trigger refuse_sent'] : ['drop trigger refuse_sent on outbox', 'drop function refuse_sent()'];
    const exec = (statements: string[]) => t.ctx.db.writes.run(async (trx) => {
      for (const q of statements) await sql.raw(q).execute(trx);
    });
    try {
      const letter = await letterByMail(t, 'marked');
      await t.drainEvents();
      const [ack] = (await outbox(t, letter)).filter((m: any) => m.kind === 'acknowledgement');
      await exec(refuse);
      await runJobs(t);
      assert.equal(smtp.received.length, 1, 'the relay took it');
      assert.equal((await outbox(t)).find((m: any) => m.id === ack.id).status, 'sending', 'not pending: pending would send it again');
      await exec(allow);
      await runJobs(t);
      assert.equal(smtp.received.length, 1, 'not sent again while its lease runs');
      // Its lease runs out: the next node's look leaves it uncertain, for an admin to judge.
      await t.ctx.db.writes.run((trx) => trx.updateTable('outbox').set({ next_attempt_at: t.ctx.db.dialect.time(past()) }).where('id', '=', ack.id).execute());
      await runJobs(t);
      assert.equal((await outbox(t)).find((m: any) => m.id === ack.id).status, 'uncertain');
      assert.equal(smtp.received.length, 1, 'never sent twice');
    } finally {
      await t.close();
      await smtp.close();
    }
  });

  test('a webhook delivery claimed by a node that died is left uncertain, not delivered twice', async () => {
    const hook = await receiver();
    const t = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off' });
    try {
      const admin = await t.token('admin');
      const created = await postJson(`${t.url}/api/v1/webhooks`, { url: hook.url, events: ['letter.received'] }, { authorization: `Bearer ${admin}` });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      await letterByMail(t, 'one');
      await letterByMail(t, 'two');
      await t.drainEvents();
      const log = await getJson(`${t.url}/api/v1/webhooks/${created.json.id}/deliveries`, admin);
      const [first, second] = log.json.items.map((d: { id: string }) => d.id).sort();
      assert.ok(await claimDelivery(t.ctx.db, first, past()));

      await runJobs(t);
      assert.deepEqual(hook.deliveries, [second], 'only the unclaimed delivery was posted');
      const after = await getJson(`${t.url}/api/v1/webhooks/${created.json.id}/deliveries`, admin);
      const status = Object.fromEntries(after.json.items.map((d: { id: string; status: string }) => [d.id, d.status]));
      assert.deepEqual(status, { [first]: 'uncertain', [second]: 'delivered' });
    } finally {
      await t.close();
      await hook.close();
    }
  });
});
