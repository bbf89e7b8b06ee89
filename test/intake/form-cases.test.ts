// Every web-form case in the fixture corpus is accepted or refused as its
// `expect` says, through the JSON API and through the HTML form, on every
// database.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { formCases, submissionOf } from '../support/fixtures.ts';

const cases = formCases();

forEachDialect('web-form fixture cases', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect);
  });
  after(async () => t?.close());

  test('the corpus has both outcomes', () => {
    assert.equal(cases.filter((c) => c.expect === 'accepted').length, 11);
    assert.equal(cases.filter((c) => c.expect === 'rejected').length, 14);
  });

  for (const [i, c] of cases.entries()) {
    test(`API case ${i + 1} (${c.expect}): ${c.why}`, async () => {
      const res = await postJson(`${t.url}/api/v1/letters`, submissionOf(c));
      if (c.expect === 'accepted') {
        assert.equal(res.status, 202, JSON.stringify(res.json));
        assert.match(res.json.id, /^[0-9a-f-]{36}$/);
        assert.equal(res.json.status, 'unconfirmed');
        // What was stored is what was sent, normalised to NFC, never altered otherwise.
        const letter = await getJson(`${t.url}/api/v1/letters/${res.json.id}`, await t.token('viewer'));
        assert.equal(letter.status, 200);
        assert.equal(letter.json.body, String(c.body).normalize('NFC').trimEnd());
        assert.equal(letter.json.writer.name, String(c.name).normalize('NFC'));
        assert.equal(letter.json.writer.email, c.email);
      } else {
        assert.equal(res.status, 422, JSON.stringify(res.json));
        assert.equal(res.json.error, 'validation');
        const fields = Object.keys(res.json.fields);
        assert.ok(fields.length >= 1, 'names the field at fault');
        for (const f of fields) assert.ok(res.json.fields[f].length > 5, `a readable message for ${f}`);
      }
    });
  }

  test('a refusal names the right field with a reason the writer can act on', async () => {
    const byWhy = (s: string) => submissionOf(cases.find((c) => c.why.includes(s))!);
    const check = async (why: string, field: string, pattern: RegExp) => {
      const res = await postJson(`${t.url}/api/v1/letters`, byWhy(why));
      assert.equal(res.status, 422);
      assert.match(res.json.fields[field] ?? '', pattern, `${why}: ${JSON.stringify(res.json.fields)}`);
    };
    await check('email field missing', 'email', /email/i);
    await check('no domain', 'email', /valid email/i);
    await check('empty body', 'body', /write your letter/i);
    await check('too long', 'body', /1,000 words/);
    await check('script tag in name', 'name', /plain text/i);
    await check('onerror', 'body', /plain text/i);
    await check('SVG onload', 'town', /plain text/i);
    await check('javascript: URL', 'body', /javascript/i);
    await check('unknown article', 'article', /could not find/i);
    await check('consent not given', 'consent', /agree/i);
    await check('NUL control', 'body', /control characters/i);
    await check('town missing', 'town', /town/i);
  });

  // The form posts to its article's own URL, so the unknown-article case is a
  // POST to a URL that does not exist (checked separately below).
  for (const [i, c] of cases.entries()) {
    if (c.why.includes('unknown article')) continue;
    test(`HTML form case ${i + 1} (${c.expect}): ${c.why}`, async () => {
      const articleId = String(c.article).startsWith('http') ? await idForUrl(t, String(c.article)) : String(c.article);
      const form = new URLSearchParams();
      for (const k of ['name', 'email', 'town', 'body'] as const) if (typeof c[k] === 'string') form.set(k, c[k] as string);
      if (c.consent) form.set('consent', 'yes');
      const res = await fetch(`${t.url}/articles/${encodeURIComponent(articleId)}/letter`, { method: 'POST', body: form, redirect: 'manual' });
      const html = await res.text();
      if (c.expect === 'accepted') {
        assert.equal(res.status, 303, html.slice(0, 500));
        assert.match(res.headers.get('location') ?? '', /^\/letters\/[0-9a-f-]+\/thanks\?sig=/);
      } else {
        assert.equal(res.status, 422);
        assert.match(html, /class="error-summary"/);
        assert.match(html, /aria-invalid="true"/);
        // What the writer typed is kept, escaped.
        if (typeof c.email === 'string' && c.email) assert.ok(html.includes(`value="${escape(c.email)}"`), 'email kept');
        if (typeof c.body === 'string' && c.body.trim() && !c.body.includes('\u0000')) assert.ok(html.includes(escape(c.body).slice(0, 60)), 'body kept');
        assert.ok(!/<script>alert|<img src=x onerror|<svg onload/i.test(html), 'no live markup from the writer');
      }
    });
  }
});

forEachDialect('form for an unknown article', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dialect);
  });
  after(async () => t?.close());
  test('GET and POST answer 404 with a page that says so', async () => {
    const unknown = cases.find((c) => c.why.includes('unknown article'))!;
    const get = await fetch(`${t.url}/articles/${unknown.article}/letter`);
    assert.equal(get.status, 404);
    assert.match(await get.text(), /Article not found/);
    const post = await fetch(`${t.url}/articles/${unknown.article}/letter`, { method: 'POST', body: new URLSearchParams({ name: 'x' }) });
    assert.equal(post.status, 404);
  });
});

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

async function idForUrl(t: TestApp, url: string): Promise<string> {
  const list = await getJson(`${t.url}/api/v1/articles?limit=500`, await t.token('viewer'));
  const key = (u: string) => new URL(u).pathname.replace(/\/$/, '');
  return list.json.items.find((a: { url: string }) => key(a.url) === key(url)).id;
}
