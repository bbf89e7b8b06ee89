// A writer's data: export has everything; erase keeps published letters'
// text under "Name withheld" and anonymises the rest. Also: the author's
// reply is published beneath the letter; the decline notice is opt-in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { eraseWriter, exportWriter } from '../../src/publishing/writer-data.ts';
import { act, linkIn, outbox, postForm, submitConfirmed } from './helpers.ts';

forEachDialect('writer data and replies', (dialect) => {
  let t: TestApp;
  before(async () => (t = await startTestApp(dialect)));
  after(() => t.close());

  test('export, then erase: published text stays under "Name withheld"', async () => {
    const email = 'erase.me@example.com';
    const pubId = await submitConfirmed(t, { email, name: 'Erin Eraseme', town: 'Hull' });
    await act(t, pubId, { action: 'publish', headline: 'Kept text' });
    const otherId = await submitConfirmed(t, { email, name: 'Erin Eraseme', town: 'Hull', body: 'A second letter that was never published, about the same article in some detail.' });
    const data = (await exportWriter(t.ctx, 'Erase.Me@example.com')) as any;
    assert.equal(data.writer.email, email);
    assert.equal(data.letters.length, 2);
    assert.ok(data.mail.length >= 3);
    assert.ok(data.history.length >= 4);

    const r = await eraseWriter(t.ctx, email);
    assert.deepEqual(r, { found: true, published: 1, anonymised: 1, deleted: 0 });
    assert.equal(await exportWriter(t.ctx, email), null);
    const page = await (await fetch(`${t.url}/letters/${pubId}`)).text();
    assert.match(page, /Kept text/);
    assert.match(page, /Name withheld/);
    assert.doesNotMatch(page, /Erin|Eraseme|Hull/);
    const admin = await t.token('admin');
    const other = (await getJson(`${t.url}/api/v1/letters/${otherId}`, admin)).json;
    assert.equal(other.body, '[erased]');
    assert.doesNotMatch(JSON.stringify(other), /Erin|erase\.me|Hull/);
    assert.equal((await outbox(t, otherId)).length, 0);
    const search = (await getJson(`${t.url}/api/v1/letters?q=Eraseme`, admin)).json;
    assert.equal(search.items.length, 0);
  });

  test("the article's author replies beneath a published letter", async () => {
    const id = await submitConfirmed(t);
    await act(t, id, { action: 'publish' });
    const admin = await t.token('admin');
    const r = await postJson(`${t.url}/api/v1/letters/${id}/author-invitation`, { email: 'author@example.com', name: 'Jane Author' }, { authorization: `Bearer ${admin}` });
    assert.equal(r.status, 202);
    const link = linkIn((await outbox(t, id)).filter((m) => m.kind === 'author_invitation'), 'reply');
    assert.equal((await postForm(link, { body: 'Thank you. <b>Point</b> taken.' })).status, 200);
    assert.equal((await postForm(link, { body: 'Again' })).status, 410);
    const json = (await getJson(`${t.url}/articles/seed-isi-taliban/letters?format=json`)).json;
    const letter = json.letters.find((l: any) => l.id === id);
    assert.deepEqual(letter.replies.map((x: any) => [x.author, x.text]), [['Jane Author', 'Thank you. <b>Point</b> taken.']]);
    assert.match(await (await fetch(`${t.url}/letters/${id}`)).text(), /Jane Author replies:.*\n?.*Thank you\. &lt;b&gt;Point&lt;\/b&gt; taken\./s);
  });

  test('declining sends a notice only when the publication turns it on', async () => {
    const a = await submitConfirmed(t);
    await act(t, a, { action: 'decline' });
    assert.equal((await outbox(t, a)).filter((m) => m.kind === 'declined').length, 0);
    (t.ctx.publication.policies as any).declineNotice = true;
    try {
      const b = await submitConfirmed(t);
      await act(t, b, { action: 'decline' });
      assert.equal((await outbox(t, b)).filter((m) => m.kind === 'declined').length, 1);
    } finally {
      (t.ctx.publication.policies as any).declineNotice = false;
    }
  });
});
