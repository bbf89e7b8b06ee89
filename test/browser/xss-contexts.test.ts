// Script vectors (test/fixtures/xss/vectors.jsonl, after the OWASP cheat
// sheet) arrive by every door — the HTML form and the JSON API (which refuse
// active markup; whatever they accept is published) and email (which cannot
// refuse: every vector is published, as letter text, writer's name, town,
// subject and headline) — and every output context is rendered in Chromium
// with its Content-Security-Policy taken off, so that only escaping stands
// between the text and the page: the letters pages, a letter's page, the
// article's letters (page and bare block), the embed on a host page, a feed
// reader simulated as a page that renders RSS descriptions and Atom content
// as HTML, the JSON Feed, the HTML export, and the form page that echoes what
// was typed. Every page counts calls to alert/confirm/prompt and a global
// flag; none may run, and no element the desk did not write may appear.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { forEachDialect } from '../support/databases.ts';
import { daysSince, getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { browserUnavailable } from '../support/env.ts';
import { launchBrowser } from '../support/browser.ts';
import { vectors } from '../support/xss.ts';
import { act, linkIn, outbox } from '../publishing/helpers.ts';

const skip = browserUnavailable();
const ALL = vectors();

/** Instruments a page before any of its scripts run. */
const INSTRUMENT = `
  window.__xss = 0;
  for (const f of ['alert', 'confirm', 'prompt', 'print']) window[f] = (...a) => { window.__xss++; window.__xssWhat = (window.__xssWhat || []).concat(f + '(' + a.join(',') + ')'); };
`;

/** Elements under `root` (and in open shadow roots) that the desk did not write: a tag outside `allowed`, an event handler, a script URL, a style. */
const FIND_INJECTED = `(([selector, allowed]) => {
  const bad = [];
  const ok = new Set(allowed);
  const URL_ATTRS = new Set(['href', 'src', 'srcset', 'srcdoc', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster', 'ping', 'cite', 'codebase', 'dynsrc', 'lowsrc', 'longdesc', 'manifest', 'icon']);
  const visit = (el) => {
    if (!ok.has(el.tagName)) bad.push('<' + el.tagName.toLowerCase() + '>');
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(el.tagName.toLowerCase() + ' ' + a.name);
      if (a.name === 'style') bad.push(el.tagName.toLowerCase() + ' style');
      if (URL_ATTRS.has(a.name.toLowerCase()) && /^\\s*(javascript|vbscript|data):/i.test(a.value.replace(/[\\t\\n\\r]/g, ''))) bad.push(el.tagName.toLowerCase() + ' ' + a.name + '=' + a.value.slice(0, 30));
    }
    for (const c of el.children) visit(c);
    if (el.shadowRoot) for (const c of el.shadowRoot.children) visit(c);
  };
  const roots = [];
  const collect = (doc) => { for (const r of doc.querySelectorAll(selector)) roots.push(r); for (const h of doc.querySelectorAll('*')) if (h.shadowRoot) collect(h.shadowRoot); };
  collect(document);
  for (const r of roots) for (const c of r.children) visit(c);
  return { roots: roots.length, bad: [...new Set(bad)] };
})`;

type Check = { roots: number; bad: string[] };

async function examine(page: Page, selector: string, allowed: string[], settleMs = 150): Promise<Check & { ran: number; what: string[] }> {
  // Give late handlers (onload, onerror of images that fail, autofocus) a moment.
  await page.waitForTimeout(settleMs);
  const found = (await page.evaluate(`${FIND_INJECTED}(${JSON.stringify([selector, allowed])})`)) as Check;
  const ran = (await page.evaluate('window.__xss')) as number;
  const what = ((await page.evaluate('window.__xssWhat || []')) as string[]) ?? [];
  return { ...found, ran, what };
}

function hostPage(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${a.port}/`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** A feed reader without a CSP: items' titles as text, RSS descriptions and Atom content (type html) as HTML, JSON Feed content_text as text. */
const READER = `<!doctype html><html><head><meta charset="utf-8"><title>Reader</title></head><body><main id="reader"></main>
<script>
window.render = (kind, text) => {
  const main = document.getElementById('reader');
  const add = (title, html, asText) => {
    const item = document.createElement('div'); item.className = 'item';
    const h = document.createElement('h2'); h.textContent = title; item.appendChild(h);
    const body = document.createElement('div'); body.className = 'body';
    if (asText) body.textContent = html; else body.innerHTML = html;
    item.appendChild(body); main.appendChild(item);
  };
  if (kind === 'json') { for (const i of JSON.parse(text).items) add(i.title, i.content_html ?? i.content_text, i.content_html === undefined); return; }
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.querySelector('parsererror')) throw new Error('the feed is not XML');
  if (kind === 'rss') for (const i of doc.querySelectorAll('item')) add(i.querySelector('title').textContent, i.querySelector('description').textContent, false);
  if (kind === 'atom') for (const e of doc.getElementsByTagName('entry')) { const c = e.getElementsByTagName('content')[0]; add(e.getElementsByTagName('title')[0].textContent, c.textContent, c.getAttribute('type') === 'text'); }
};
</script></body></html>`;

/** A vector in a MIME header: an RFC 2047 encoded word carries any text. */
const word = (s: string) => `=?utf-8?b?${Buffer.from(s.replace(/[\r\n]+/g, ' ')).toString('base64')}?=`;

forEachDialect('script vectors by every door, in every output context (Chromium)', (dialect) => {
  let t: TestApp;
  let browser: Browser;
  let admin: string;
  const published: string[] = [];
  const began = new Date();

  before(async () => {
    if (skip) return;
    t = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off' });
    admin = await t.token('admin');
    browser = await launchBrowser();
    const inbound = await t.token('inbound');
    // Email: four vectors a letter in the text, one each in the name, town line, subject and headline.
    for (let i = 0; i * 4 < ALL.length; i++) {
      const four = ALL.slice(i * 4, i * 4 + 4).map((v) => v.v);
      const one = ALL[(i * 7) % ALL.length]!.v;
      const raw = `From: ${word(one)} <writer${i}@example.net>\r\nTo: letters@review.example.com\r\nSubject: ${word(four[0]!)}\r\nMessage-ID: <xss${i}@example.net>\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`Dear editor,\n\n${four.join('\n\n')}\n\nA reader from ${one}`).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
      const res = await fetch(`${t.url}/api/v1/inbound/raw`, { method: 'POST', headers: { authorization: `Bearer ${inbound}`, 'content-type': 'message/rfc822' }, body: raw });
      const out = (await res.json()) as any;
      assert.equal(res.status, 202);
      assert.ok(out.letterId ?? out.status === 'letter', `mail ${i} became a letter: ${JSON.stringify(out)}`);
      const list = await getJson(`${t.url}/api/v1/letters?q=${encodeURIComponent(`writer${i}`)}&limit=5`, admin);
      const letterId = out.letterId ?? (await getJson(`${t.url}/api/v1/inbound/${out.id}`, admin)).json.letterId ?? list.json.items[0]?.id;
      assert.ok(letterId, `mail ${i}: a letter id`);
      await act(t, letterId, { action: 'assign_article', article: 'seed-isi-taliban' });
      // A letter by email is published once its writer agreed, through the button behind the acknowledgement's link.
      const consented = await fetch(linkIn(await outbox(t, letterId), 'consent'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      assert.equal(consented.status, 200);
      await act(t, letterId, { action: 'publish', headline: ALL[(i * 3 + 1) % ALL.length]!.v.slice(0, 300) });
      published.push(letterId);
    }
    // The JSON API: whatever it accepts of the vectors is published too.
    for (const [i, v] of ALL.entries()) {
      const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Pat Writer', email: `api${i}@example.net`, town: 'Leeds', body: `Dear editor, ${v.v}`, consent: true });
      assert.ok(r.status === 202 || r.status === 422, `API ${r.status}`);
      if (r.status !== 202) continue;
      await fetch(linkIn(await outbox(t, r.json.id), 'confirm'), { method: 'POST' }).catch(() => null);
      const confirmPage = linkIn(await outbox(t, r.json.id), 'confirm');
      await fetch(confirmPage, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      const letter = await getJson(`${t.url}/api/v1/letters/${r.json.id}`, admin);
      if (letter.json.status === 'unconfirmed') continue;
      await act(t, r.json.id, { action: 'publish' });
      published.push(r.json.id);
    }
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page of the desk with its CSP removed: escaping alone must hold. */
  async function openWithoutCsp(url: string): Promise<Page> {
    const page = await browser.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.route(`${t.url}/**`, async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const res = await route.fetch();
      const headers = { ...res.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response: res, headers });
    });
    await page.goto(url);
    return page;
  }

  const SETTLE_MS = 100;
  // The desk's own elements of a published letter: heading (h1 on its own page), text, byline (the town in a span), date (time), replies.
  const LETTER_TAGS = ['ARTICLE', 'H1', 'H3', 'A', 'P', 'BR', 'DIV', 'ASIDE', 'STRONG', 'SECTION', 'H2', 'SPAN', 'TIME'];

  test('the desk’s own pages: letters, a letter, the article’s letters (page and block)', { skip: skip ?? false, timeout: 180_000 }, async () => {
    assert.ok(published.length >= ALL.length / 4, `${published.length} letters published`);
    const pages = [`${t.url}/letters`, `${t.url}/letters?page=2`, `${t.url}/articles/seed-isi-taliban/letters`, `${t.url}/articles/seed-isi-taliban/letters?format=fragment`, ...published.slice(0, 6).map((id) => `${t.url}/letters/${id}`)];
    for (const url of pages) {
      const page = await openWithoutCsp(url);
      const r = await examine(page, 'article.published-letter', LETTER_TAGS, SETTLE_MS);
      assert.ok(r.roots > 0, `${url}: letters shown`);
      assert.deepEqual(r.bad, [], `${url}: injected ${r.bad.join(', ')}`);
      assert.equal(r.ran, 0, `${url}: ran ${r.what.join(', ')}`);
      await page.close();
    }
  });

  test('the embed on an article page', { skip: skip ?? false, timeout: 60_000 }, async () => {
    const host = await hostPage(`<!doctype html><html><head><meta charset="utf-8"><title>Article</title></head><body><h1>Article</h1><script src="${t.url}/embed.js" data-article="seed-isi-taliban" async></script></body></html>`);
    try {
      const page = await browser.newPage();
      await page.addInitScript(INSTRUMENT);
      await page.goto(host.url);
      await page.locator('letterdesk-letters article').first().waitFor();
      const r = await examine(page, 'section.letters', ['H2', 'ARTICLE', 'H3', 'P', 'DIV']);
      assert.ok(r.roots === 1);
      assert.equal(await page.locator('letterdesk-letters article').count(), published.length);
      assert.deepEqual(r.bad, []);
      assert.equal(r.ran, 0, r.what.join(', '));
      await page.close();
    } finally {
      await host.close();
    }
  });

  test('a feed reader that renders RSS descriptions and Atom content as HTML, and the JSON Feed', { skip: skip ?? false, timeout: 60_000 }, async () => {
    const reader = await hostPage(READER);
    try {
      for (const [kind, path] of [['rss', '/feeds/letters.rss'], ['atom', '/feeds/letters.atom'], ['json', '/feeds/letters.json']] as const) {
        const feed = await (await fetch(`${t.url}${path}`)).text();
        const page = await browser.newPage();
        await page.addInitScript(INSTRUMENT);
        await page.goto(reader.url);
        await page.evaluate(([k, f]) => (window as any).render(k, f), [kind, feed] as const);
        const r = await examine(page, '#reader', ['DIV', 'H2', 'P', 'BR', 'STRONG']);
        const items = await page.locator('.item').count();
        assert.equal(items, Math.min(published.length, 50), `${kind}: every letter is an item`);
        assert.deepEqual(r.bad, [], `${kind}: injected ${r.bad.join(', ')}`);
        assert.equal(r.ran, 0, `${kind}: ran ${r.what.join(', ')}`);
        await page.close();
      }
    } finally {
      await reader.close();
    }
  });

  test('the HTML export, opened as a page', { skip: skip ?? false, timeout: 60_000 }, async () => {
    const { query: days } = daysSince(began);
    const html = await (await fetch(`${t.url}/api/v1/exports/letters?${days}&format=html`, { headers: { authorization: `Bearer ${admin}` } })).text();
    assert.match(html, /<article id="letter-/);
    const host = await hostPage(html);
    try {
      const page = await browser.newPage();
      await page.addInitScript(INSTRUMENT);
      await page.goto(host.url);
      const r = await examine(page, 'body', ['H1', 'ARTICLE', 'H2', 'P', 'BR', 'TIME', 'ASIDE', 'STRONG']);
      assert.deepEqual(r.bad, []);
      assert.equal(r.ran, 0, r.what.join(', '));
      await page.close();
    } finally {
      await host.close();
    }
  });

  test('the HTML form (no JavaScript needed): every vector typed in is refused or kept as text, and the page that shows it back runs nothing', { skip: skip ?? false, timeout: 180_000 }, async () => {
    const page = await openWithoutCsp(`${t.url}/articles/seed-isi-taliban/letter`);
    // What the page that shows a refusal is made of, from a harmless refusal (no consent).
    await page.getByLabel('Your name').fill('Pat Writer');
    await page.getByLabel('Your letter').fill('Dear editor, a harmless letter.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send letter' }).click()]);
    const TAGS = `[...new Set([...document.querySelectorAll('main *')].map((e) => e.tagName))]`;
    const allowed = new Set([...((await page.evaluate(TAGS)) as string[]), 'P', 'UL', 'LI', 'A', 'DIV', 'SPAN', 'STRONG', 'H2']);
    let refused = 0;
    for (const [i, v] of ALL.entries()) {
      // After a refusal the form is still there (with what was typed); after a letter, it is opened again.
      if (!(await page.getByLabel('Your letter').count())) await page.goto(`${t.url}/articles/seed-isi-taliban/letter`);
      // Typed in as a writer would (values set on the fields), sent with the form's own button.
      await page.evaluate(
        ([line, body, mail]) => {
          const set = (id: string, value: string) => ((document.getElementById(id) as HTMLInputElement).value = value);
          set('name', line!);
          set('town', line!);
          set('email', mail!);
          set('body', body!);
          (document.getElementById('consent') as HTMLInputElement).checked = true;
        },
        [v.v.replace(/[\r\n]+/g, ' ').slice(0, 100), `Dear editor, ${v.v}`, `form${i}@example.net`],
      );
      await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.locator('#letter-form button[type=submit]').click()]);
      if (await page.locator('article.thanks').count()) {
        // Accepted (inert to a browser): the thank-you page shows the letter back, as text.
        const r = await examine(page, 'main', [...allowed, 'BLOCKQUOTE', 'H1', 'BR'], 30);
        assert.deepEqual(r.bad, [], `${v.from} at ${page.url()} (accepted): injected ${r.bad.join(', ')}`);
      } else {
        refused++;
        // The form again, with what was typed kept as field values: the elements of any refusal page, nothing more.
        const r = await examine(page, 'main', [...allowed], 30);
        assert.deepEqual(r.bad, [], `${v.from} at ${page.url()} (refused): injected ${r.bad.join(', ')}`);
        assert.equal(await page.getByLabel('Your letter').inputValue(), `Dear editor, ${v.v}`.replace(/\r\n?/g, '\n'), `${v.from}: what was typed is kept, as text`);
      }
      assert.equal((await page.evaluate('window.__xss')) as number, 0, `${v.from}: ran`);
    }
    assert.ok(refused > ALL.length / 2, `${refused} of ${ALL.length} refused`);
    await page.close();
  });
});
