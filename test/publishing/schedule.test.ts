// A scheduled letter is published at its time even when the desk restarts in
// between: the schedule is a job in the database, and a sweep at start picks
// up a due letter whose job is gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp } from '../support/app.ts';
import { findLetterById } from '../../src/db/repositories/letters.ts';
import { sweepScheduled } from '../../src/publishing/publish.ts';
import { act, openOn, outbox, submitConfirmed, waitFor } from './helpers.ts';

forEachDialect('scheduled publishing', (dialect) => {
  test('a letter scheduled before a restart is published after it', async () => {
    const first = await startTestApp(dialect);
    const id = await submitConfirmed(first);
    await act(first, id, { action: 'shortlist' });
    const at = new Date(Date.now() + 1500);
    const scheduled = await act(first, id, { action: 'schedule', at: at.toISOString() });
    assert.equal(scheduled.status, 'scheduled');
    // Stop the first desk before the time comes (its job runner never ran).
    await first.app.close();
    await first.ctx.db.close();
    await new Promise((r) => setTimeout(r, Math.max(0, at.getTime() - Date.now())));

    const second = await openOn(first.db);
    await second.desk.background.run({ jobs: 50 });
    try {
      const letter = await waitFor('publication', async () => {
        const l = await findLetterById(second.ctx.db, id);
        return l?.status === 'published' ? l : null;
      });
      assert.ok(letter.publishedAt!.getTime() >= at.getTime());
      const page = await (await fetch(`${second.url}/letters`)).text();
      assert.match(page, new RegExp(`id="letter-${id}"`));
      // The writer is told, with the link.
      const mails = await outbox(second, id);
      const notice = mails.find((m) => m.kind === 'published');
      assert.ok(notice);
      assert.match(notice.text, new RegExp(`/letters/${id}`));
    } finally {
      await second.close();
      await first.db.drop();
    }
  });

  test('the start-up sweep publishes a due letter whose job was lost', async () => {
    const t = await startTestApp(dialect);
    try {
      const id = await submitConfirmed(t);
      await act(t, id, { action: 'schedule', at: new Date(Date.now() + 200).toISOString() });
      await t.ctx.db.writes.run((trx) => trx.deleteFrom('jobs').where('kind', '=', 'publish_scheduled').execute());
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await sweepScheduled(t.ctx), 1);
      assert.equal((await findLetterById(t.ctx.db, id))!.status, 'published');
      // Running it again publishes nothing twice.
      assert.equal(await sweepScheduled(t.ctx), 0);
    } finally {
      await t.close();
    }
  });

  test('a letter rescheduled later is not published at the old time', async () => {
    const t = await startTestApp(dialect);
    await t.desk.background.run({ jobs: 50 });
    try {
      const id = await submitConfirmed(t);
      await act(t, id, { action: 'schedule', at: new Date(Date.now() + 300).toISOString() });
      await act(t, id, { action: 'schedule', at: new Date(Date.now() + 3600_000).toISOString() });
      await new Promise((r) => setTimeout(r, 900));
      assert.equal((await findLetterById(t.ctx.db, id))!.status, 'scheduled');
    } finally {
      await t.close();
    }
  });
});
