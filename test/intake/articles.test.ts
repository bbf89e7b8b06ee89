// The articles registry: API, JSONL import from the command line, and the
// OpenAPI document describing every API route.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { allRoutes } from '../../src/server/http.ts';

const run = promisify(execFile);
const CLI = path.resolve('src/cli/main.ts');

forEachDialect('articles', (dialect) => {
  let t: TestApp;
  let editor: string;
  before(async () => {
    t = await startTestApp(dialect);
    editor = await t.token('editor');
  });
  after(async () => t?.close());

  test('the demo articles are there on a new database', async () => {
    const list = await getJson(`${t.url}/api/v1/articles`, editor);
    assert.equal(list.json.items.length, 8);
    assert.ok(list.json.items.some((a: { id: string }) => a.id === 'seed-isi-taliban'));
  });

  test('create, update by id, refuse a URL owned by another article, validate fields', async () => {
    const auth = { authorization: `Bearer ${editor}` };
    const created = await postJson(`${t.url}/api/v1/articles`, { id: 'a-new', url: 'https://review.example.com/new/', title: 'New', publishedAt: '2026-11-01T10:00:00+01:00' }, auth);
    assert.equal(created.status, 201);
    assert.equal(created.json.publishedAt, '2026-11-01T09:00:00.000Z', 'stored as UTC');
    const updated = await postJson(`${t.url}/api/v1/articles`, { id: 'a-new', url: 'https://review.example.com/new/', title: 'Newer' }, auth);
    assert.equal(updated.status, 200);
    assert.equal(updated.json.title, 'Newer');
    const clash = await postJson(`${t.url}/api/v1/articles`, { id: 'a-other', url: 'http://www.review.example.com/new?utm=1', title: 'Clash' }, auth);
    assert.equal(clash.status, 409);
    const invalid = await postJson(`${t.url}/api/v1/articles`, { url: 'javascript:alert(1)', title: '', publishedAt: 'yesterday' }, auth);
    assert.equal(invalid.status, 422);
    assert.deepEqual(Object.keys(invalid.json.fields).sort(), ['publishedAt', 'title', 'url']);
    // A letter can now be sent about it, by id or URL.
    const letter = await postJson(`${t.url}/api/v1/letters`, { article: 'https://review.example.com/new', name: 'A', email: 'a@example.com', town: 'B', body: 'On the new piece.', consent: true });
    assert.equal(letter.status, 202);
  });

  test("an article's new title shows on its letter form at once", async () => {
    const auth = { authorization: `Bearer ${editor}` };
    await postJson(`${t.url}/api/v1/articles`, { id: 'a-retitled', url: 'https://review.example.com/retitled/', title: 'First title' }, auth);
    const form = async () => (await fetch(`${t.url}/articles/a-retitled/letter`)).text();
    assert.match(await form(), /First title/);
    await postJson(`${t.url}/api/v1/articles`, { id: 'a-retitled', url: 'https://review.example.com/retitled/', title: 'Second title' }, auth);
    const page = await form();
    assert.match(page, /Second title/, 'the head kept for the form was forgotten when the article changed');
    assert.doesNotMatch(page, /First title/);
  });

  test('letterdesk articles import FILE.jsonl adds good lines and reports bad ones by number', async () => {
    const file = path.join(t.db.dataDir, 'import.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ id: 'imp-1', url: 'https://review.example.com/imp-1', title: 'Imported one', author: null, publishedAt: '2026-10-01T00:00:00Z', section: 'Local', body: 'Text.' }),
        '{not json',
        JSON.stringify({ id: 'imp-2', url: 'not a url', title: 'Bad URL' }),
        '',
        JSON.stringify({ url: 'https://review.example.com/imp-3', title: 'No id given' }),
      ].join('\n'),
    );
    const env = { ...process.env, LETTERDESK_DATA: t.db.dataDir, ...(t.db.databaseUrl ? { DATABASE_URL: t.db.databaseUrl } : {}) };
    const out = await run(process.execPath, [CLI, 'articles', 'import', file], { env }).catch((e) => e);
    assert.equal(out.code, 1, 'non-zero when some lines were refused');
    assert.match(out.stdout, /2 created, 0 updated, 2 refused/);
    assert.match(out.stdout, /line 2: not valid JSON/);
    assert.match(out.stdout, /line 3: url/);
    const list = await getJson(`${t.url}/api/v1/articles?limit=500`, editor);
    assert.ok(list.json.items.some((a: { id: string }) => a.id === 'imp-1'));
    assert.ok(list.json.items.some((a: { title: string }) => a.title === 'No id given'));
  });

  test('letterdesk token create prints a working token while the server runs', async () => {
    const env = { ...process.env, LETTERDESK_DATA: t.db.dataDir, ...(t.db.databaseUrl ? { DATABASE_URL: t.db.databaseUrl } : {}) };
    const out = await run(process.execPath, [CLI, 'token', 'create', '--role', 'viewer', '--name', 'cli'], { env });
    const token = out.stdout.trim();
    assert.match(token, /^ld_[A-Za-z0-9_-]{32}$/);
    assert.equal((await getJson(`${t.url}/api/v1/letters`, token)).status, 200);
    const bad = await run(process.execPath, [CLI, 'token', 'create', '--role', 'god'], { env }).catch((e) => e);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--role must be one of/);
  });

  test('the OpenAPI document describes every API route with its roles and schemas', async () => {
    const doc = (await getJson(`${t.url}/api/v1/openapi.json`)).json;
    assert.equal(doc.openapi, '3.1.0');
    const apiRoutes = allRoutes(t.ctx).filter((r) => !r.hidden);
    for (const r of apiRoutes) {
      const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${r.url} documented`);
      assert.deepEqual(op['x-roles'], r.access === 'public' ? ['public'] : [...r.access]);
    }
    const submit = doc.paths['/api/v1/letters'].post;
    const schema = submit.requestBody.content['application/json'].schema;
    assert.deepEqual(schema.required.sort(), ['article', 'body', 'consent', 'email', 'name', 'town']);
    assert.equal(schema.additionalProperties, false);
    assert.ok(doc.paths['/api/v1/letters'].get.parameters.some((p: { name: string }) => p.name === 'cursor'));
  });
});
