// Editor endpoints never answer without a valid token of an admitted role.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';

forEachDialect('API access', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect);
  });
  after(async () => t?.close());

  test('no token, a malformed or unknown token: 401 and no data', async () => {
    for (const auth of [undefined, 'Bearer', 'Basic abc', 'Bearer ld_notarealtoken']) {
      const res = await fetch(`${t.url}/api/v1/letters`, { headers: auth ? { authorization: auth } : {} });
      assert.equal(res.status, 401, String(auth));
      const body = await res.json();
      assert.equal(body.error, 'unauthorized');
      assert.equal(body.items, undefined);
    }
  });

  test('roles: viewer reads, cannot act or create; inbound reads nothing; outbox is admin-only', async () => {
    const viewer = await t.token('viewer');
    const inbound = await t.token('inbound');
    const editor = await t.token('editor');
    assert.equal((await getJson(`${t.url}/api/v1/letters`, viewer)).status, 200);
    assert.equal((await getJson(`${t.url}/api/v1/letters`, inbound)).status, 403);
    assert.equal((await getJson(`${t.url}/api/v1/outbox`, editor)).status, 403);
    assert.equal((await getJson(`${t.url}/api/v1/outbox`, await t.token('admin'))).status, 200);
    const created = await postJson(`${t.url}/api/v1/articles`, { url: 'https://review.example.com/x', title: 'X' }, { authorization: `Bearer ${viewer}` });
    assert.equal(created.status, 403);
    assert.match(created.json.message, /admin or editor/);
  });
});

forEachDialect('hostile credentials', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect);
  });
  after(async () => t?.close());

  test('a malformed session cookie or authorization header is a 401, never a 500', async () => {
    const hostile: Record<string, string>[] = [{ cookie: 'ld_session=%E0%A4%A' }, { cookie: 'ld_session=' + 'x'.repeat(5000) }, { authorization: 'Bearer \u00ff\u00fe' }, { authorization: 'Bearer ' + 'A'.repeat(10_000) }];
    for (const headers of hostile) {
      const res = await fetch(`${t.url}/api/v1/letters`, { headers });
      assert.ok([400, 401, 431].includes(res.status), `${JSON.stringify(headers).slice(0, 60)} → ${res.status}`);
    }
    const post = await fetch(`${t.url}/api/v1/letters/x/actions`, { method: 'POST', headers: { cookie: 'ld_session=%%%', 'content-type': 'application/json' }, body: '{"action":"shortlist"}' });
    assert.ok([400, 401].includes(post.status), `POST → ${post.status}`);
  });
});
