// Writers' links: the approval link approves or refuses once, only for its
// own letter, only until it expires; replies work too; the withdraw link in
// every mail takes a letter down.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { applyWriterReply } from '../../src/publishing/approval.ts';
import { act, linkIn, outbox, postForm, submitConfirmed } from './helpers.ts';

const EDITED = 'Your article on Pakistan made a case I had not heard before. It changed how I read the news from Kabul.';

async function awaitingApproval(t: TestApp): Promise<{ id: string; link: string }> {
  const id = await submitConfirmed(t);
  await act(t, id, { action: 'shortlist' });
  await act(t, id, { action: 'edit', body: EDITED, headline: 'Pakistan & peace' });
  const letter = await act(t, id, { action: 'request_approval' });
  assert.equal(letter.status, 'awaiting_approval');
  const mails = (await outbox(t, id)).filter((m) => m.kind === 'approval_request');
  assert.equal(mails.length, 1);
  return { id, link: linkIn(mails, 'approval') };
}

const status = async (t: TestApp, id: string) => (await getJson(`${t.url}/api/v1/letters/${id}`, await t.token('admin'))).json;

forEachDialect('writer links', (dialect) => {
  let t: TestApp;
  before(async () => (t = await startTestApp(dialect)));
  after(() => t.close());

  test('the approval mail marks the changes and threads onto the letter', async () => {
    const { id } = await awaitingApproval(t);
    const mails = await outbox(t, id);
    const mail = mails.find((m) => m.kind === 'approval_request');
    const ack = mails.find((m) => m.kind === 'acknowledgement');
    assert.match(mail.text, /\[-[^\]]*-\]/);
    assert.match(mail.text, /\{\+[^}]*\+\}/);
    assert.equal(mail.headers['Auto-Submitted'], 'auto-generated');
    assert.ok(mail.headers['In-Reply-To']);
    assert.match(mail.headers.References ?? mail.headers['In-Reply-To'], new RegExp(ack.headers['Message-ID'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(mail.headers['Message-ID'], new RegExp(`^<letter\\.${id}\\.`));
    // Every mail from the desk carries a withdraw link, the acknowledgement too.
    for (const m of mails) assert.match(m.text, /\/withdraw\//, m.kind);
  });

  test('approve through the link: once, and the letter is ready', async () => {
    const { id, link } = await awaitingApproval(t);
    // Opening the link (as a mail scanner does) changes nothing.
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<ins>|<del>/);
    assert.equal((await status(t, id)).status, 'awaiting_approval');
    assert.equal((await postForm(link, { decision: 'approve' })).status, 200);
    assert.equal((await status(t, id)).status, 'ready');
    const again = await postForm(link, { decision: 'refuse', comment: 'changed my mind' });
    assert.equal(again.status, 410);
    assert.equal((await status(t, id)).status, 'ready');
  });

  test('a link for another letter is refused', async () => {
    const a = await awaitingApproval(t);
    const b = await awaitingApproval(t);
    const token = a.link.split('/').pop()!;
    const r = await postForm(`${t.url}/letters/${b.id}/approval/${token}`, { decision: 'approve' });
    assert.equal(r.status, 403);
    assert.equal((await status(t, a.id)).status, 'awaiting_approval');
    assert.equal((await status(t, b.id)).status, 'awaiting_approval');
    // A withdraw token does not work as an approval token either.
    const w = linkIn(await outbox(t, b.id), 'withdraw').split('/').pop()!;
    assert.equal((await postForm(`${t.url}/letters/${b.id}/approval/${w}`, { decision: 'approve' })).status, 404);
  });

  test('an expired link is refused', async () => {
    const { id, link } = await awaitingApproval(t);
    await t.ctx.db.writes.run((trx) => trx.updateTable('writer_links' as any).set({ expires_at: t.ctx.db.dialect.time(new Date(Date.now() - 1000)) } as any).where('letter_id' as any, '=', id).execute());
    assert.equal((await postForm(link, { decision: 'approve' })).status, 410);
    assert.equal((await status(t, id)).status, 'awaiting_approval');
  });

  test('a new approval request voids the earlier link', async () => {
    const { id, link } = await awaitingApproval(t);
    await act(t, id, { action: 'edit', body: `${EDITED} Thank you.` });
    await act(t, id, { action: 'request_approval' });
    assert.equal((await postForm(link, { decision: 'approve' })).status, 410);
  });

  test('two requests for approval handled in one round: only the later mail\'s link is open', async () => {
    const id = await submitConfirmed(t);
    await act(t, id, { action: 'shortlist' });
    await act(t, id, { action: 'edit', body: EDITED, headline: 'Pakistan & peace' });
    // No round between them: the event processors take both requests together.
    const token = await t.token('admin');
    for (const input of [{ action: 'request_approval' }, { action: 'edit', body: `${EDITED} Thank you.` }, { action: 'request_approval' }]) {
      const r = await postJson(`${t.url}/api/v1/letters/${id}/actions`, input, { authorization: `Bearer ${token}` });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }
    const mails = (await outbox(t, id)).filter((m) => m.kind === 'approval_request').sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.equal(mails.length, 2);
    const [earlier, later] = mails.map((m) => linkIn([m], 'approval'));
    assert.ok((mails[1].headers.References ?? '').includes(mails[0].headers['Message-ID']), 'the later mail threads on the earlier one, queued in the same round');
    assert.equal((await fetch(earlier!)).status, 410, 'the link for the text the writer no longer sees is spent');
    assert.equal((await fetch(later!)).status, 200);
  });

  test('refuse through the link: back to shortlisted with the comment', async () => {
    const { id, link } = await awaitingApproval(t);
    assert.equal((await postForm(link, { decision: 'refuse', comment: 'Please keep my <b>first</b> sentence.' })).status, 200);
    const l = await status(t, id);
    assert.equal(l.status, 'shortlisted');
    const refuse = l.history.find((h: any) => h.action === 'refuse');
    assert.equal(refuse.data.comment, 'Please keep my <b>first</b> sentence.');
  });

  test('replying works: "yes" approves, anything else refuses with the comment', async () => {
    const a = await awaitingApproval(t);
    assert.equal((await applyWriterReply(t.ctx, a.id, 'Yes\n\n> Dear Obadiah, we would like to publish')).ok, true);
    assert.equal((await status(t, a.id)).status, 'ready');
    const b = await awaitingApproval(t);
    assert.equal((await applyWriterReply(t.ctx, b.id, 'No, you cut my main point.')).ok, true);
    const l = await status(t, b.id);
    assert.equal(l.status, 'shortlisted');
    assert.equal(l.history.find((h: any) => h.action === 'refuse').data.comment, 'No, you cut my main point.');
    // The link of an answered request is spent.
    assert.equal((await postForm(b.link, { decision: 'approve' })).status, 410);
    // A reply to a letter not awaiting approval changes nothing.
    assert.equal((await applyWriterReply(t.ctx, a.id, 'approve')).ok, false);
  });

  test('withdraw through the link in the acknowledgement takes a published letter down', async () => {
    const id = await submitConfirmed(t);
    await act(t, id, { action: 'publish', headline: 'Withdrawn soon' });
    assert.match(await (await fetch(`${t.url}/letters`)).text(), /Withdrawn soon/);
    const ack = (await outbox(t, id)).filter((m) => m.kind === 'acknowledgement');
    const link = linkIn(ack, 'withdraw');
    assert.equal((await fetch(link)).status, 200);
    assert.equal((await status(t, id)).status, 'published');
    assert.equal((await postForm(link, {})).status, 200);
    assert.equal((await status(t, id)).status, 'withdrawn');
    assert.doesNotMatch(await (await fetch(`${t.url}/letters`)).text(), /Withdrawn soon/);
    assert.equal((await postForm(link, {})).status, 410);
  });
});
