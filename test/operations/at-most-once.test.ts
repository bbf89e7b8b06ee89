// A node can die between the relay's (or a webhook receiver's) "accepted" and
// its own record of it. Outgoing mail and webhook deliveries are claimed
// (`sending`, committed) before the other side is called, so what such a node
// leaves behind is a claim whose lease runs out: another node then marks it
// `uncertain` and does not send it again; an admin may. A claim whose lease
// still runs belongs to a live node: nobody else touches it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
const future = () => new Date(Date.now() + 10 * 60_000);

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
