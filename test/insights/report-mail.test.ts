// The weekly letters report by mail (WEEKLY_REPORT_MAIL=on): on Monday
// morning last week's report goes to every admin and editor (not viewers),
// once, even when two nodes check at the same moment; not before 07:00, not
// twice the same week, not at all when the setting is off.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mailWeeklyReport, WEEKLY_REPORT_KIND } from '../../src/insights-store/report-mail.ts';
import { listOutbox } from '../../src/db/repositories/outbox.ts';
import { forEachDialect } from '../support/databases.ts';
import { postJson, startAppOn, startTestApp, type TestApp } from '../support/app.ts';
import { createUser } from '../desk/support.ts';

const DAY = 86_400_000;

/** When the suite's letters were written (a suite may run across a Sunday midnight). */
let written = new Date();

/** The Monday after the letters were written, at `hour` UTC: its report covers the week holding them. */
function nextMonday(hour: number): Date {
  const d = written;
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const daysAhead = (8 - d.getUTCDay()) % 7 || 7;
  return new Date(midnight + daysAhead * DAY + hour * 3600_000);
}

forEachDialect('the weekly report by mail', (dialect) => {
  let t: TestApp;
  let second: TestApp;
  const team: Record<string, string> = {};

  before(async () => {
    t = await startTestApp(dialect, { WEEKLY_REPORT_MAIL: 'on' });
    second = await startAppOn(t.db, { WEEKLY_REPORT_MAIL: 'on' });
    for (const role of ['admin', 'editor', 'viewer'] as const) team[role] = (await createUser(t.ctx, role)).email;
    for (let n = 0; n < 3; n++) {
      const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: `Reader ${n}`, email: `reader${n}@example.net`, town: 'Leeds', body: `Letter ${n}: the ISI is the obstacle, and the article says so plainly.`, consent: true });
      assert.equal(r.status, 202);
    }
    written = new Date();
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  const reportMails = async () => (await listOutbox(t.ctx.db, { limit: 200 })).filter((m) => m.kind === WEEKLY_REPORT_KIND);

  test('off, or before 07:00 on Monday: nothing is sent', async () => {
    const off = { ...t.ctx, config: { ...t.ctx.config, weeklyReportMail: false } };
    assert.equal(await mailWeeklyReport(off, nextMonday(9)), 0);
    assert.equal(await mailWeeklyReport(t.ctx, nextMonday(6)), 0);
    assert.equal((await reportMails()).length, 0);
  });

  test('Monday morning: one mail to each admin and editor, with last week’s articles, even when two nodes check at once', async () => {
    const sent = await Promise.all([mailWeeklyReport(t.ctx, nextMonday(8)), mailWeeklyReport(second.ctx, nextMonday(8))]);
    assert.deepEqual(sent.sort(), [0, 2]);
    const mails = await reportMails();
    assert.deepEqual(mails.map((m) => m.to.address).sort(), [team.admin, team.editor].sort());
    const m = mails[0]!;
    assert.match(m.subject, /what readers wrote, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    assert.match(m.text, /3 letters from 3 voices/);
    assert.match(m.text, /Is Pakistan a Bigger Obstacle to Peace Than the Taliban\?/);
    assert.match(m.text, /#\/report\?from=\d{4}-\d{2}-\d{2}/, 'it links to the report in the desk');
    assert.doesNotMatch(m.text, /\\[.#-]/, 'plain text, no Markdown escapes');
  });

  test('later the same week: not sent again', async () => {
    assert.equal(await mailWeeklyReport(t.ctx, nextMonday(15)), 0);
    assert.equal(await mailWeeklyReport(t.ctx, new Date(nextMonday(9).getTime() + 3 * DAY)), 0);
    assert.equal((await reportMails()).length, 2);
  });
});
