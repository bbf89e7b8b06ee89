// Hostile text from the fixtures (accepted form letters with quotes, '<', RTL
// and emoji; and the payloads the form refuses, which can still arrive by
// email) stays text on the public pages, in the feeds and in the mails.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { forEachDialect } from '../support/databases.ts';
import { daysSince, startTestApp, type TestApp } from '../support/app.ts';
import { formCases, submissionOf } from '../support/fixtures.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { act, outbox, submitConfirmed } from './helpers.ts';
import { htmlShape } from '../support/xss.ts';

// A real tag or a javascript: link; escaped text such as "&lt;img onerror=" is fine.
const MARKUP = /<(script|img|svg|iframe)\b|<a\s[^>]*href=["']?javascript:/i;

forEachDialect('hostile text stays text', (dialect) => {
  let t: TestApp;
  const published: { id: string; headline: string; body: string; name: string }[] = [];

  const began = new Date();

  before(async () => {
    t = await startTestApp(dialect);
    const cases = formCases();
    let n = 0;
    for (const c of cases.filter((c) => c.expect === 'accepted')) {
      const id = await submitConfirmed(t, { ...submissionOf(c), email: `writer${n++}@example.com` });
      // Stored text is NFC (the fixtures include a decomposed name).
      const headline = `${c.name} <script>alert("h")</script> & 'quotes'`.normalize('NFC');
      await act(t, id, { action: 'publish', headline });
      published.push({ id, headline, body: String(c.body).normalize('NFC'), name: String(c.name) });
    }
    // The payloads the form refuses arrive by email unchecked; they must still be harmless.
    for (const c of cases.filter((c) => c.expect === 'rejected' && /script|onerror|onload|javascript/i.test(`${c.name}${c.body}${c.town}`))) {
      const r = await intakeLetter(t.ctx, {
        source: 'email',
        article: { id: 'a-data-broker-act', method: 'url', confidence: 1 },
        writer: { name: String(c.name ?? 'Anon'), email: `hostile${n++}@example.com`, town: c.town ?? null },
        subject: 'Letter',
        body: String(c.body),
        consent: true,
        exclusive: false,
        pow: 'none',
        dedupeKey: null,
        actor: 'test',
      });
      const headline = `</title><img src=x onerror=alert(1)> ]]> <![CDATA[ x`;
      await act(t, r.letter.id, { action: 'publish', headline });
      published.push({ id: r.letter.id, headline, body: String(c.body), name: String(c.name) });
    }
  });
  after(() => t.close());

  test('pages escape everything', async () => {
    const pages = ['/letters', '/articles/a-data-broker-act/letters', '/articles/a-data-broker-act/letters?format=fragment', ...published.map((p) => `/letters/${p.id}`)];
    for (const path of pages) {
      const res = await fetch(`${t.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const html = await res.text();
      assert.doesNotMatch(html, MARKUP, path);
    }
    const one = await (await fetch(`${t.url}/letters/${published[0]!.id}`)).text();
    assert.match(one, /&lt;script&gt;alert\(&quot;h&quot;\)&lt;\/script&gt; &amp; &#39;quotes&#39;/);
  });

  test('feeds are valid and carry the text exactly', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false });
    const atom = await (await fetch(`${t.url}/feeds/letters.atom`)).text();
    assert.equal(XMLValidator.validate(atom), true);
    const feed = parser.parse(atom).feed;
    assert.ok(feed.id && feed.title && feed.updated, 'Atom feed id, title, updated');
    const entries = [feed.entry].flat();
    assert.equal(entries.length, published.length);
    for (const e of entries) assert.ok(e.id && e.title && e.updated && e.author?.name, 'Atom entry id, title, updated, author');
    const titles = new Set(entries.map((e: any) => String(e.title['#text'])));
    for (const p of published) assert.ok(titles.has(p.headline), p.headline);
    assert.doesNotMatch(atom, MARKUP);

    const rss = await (await fetch(`${t.url}/feeds/letters.rss`)).text();
    assert.equal(XMLValidator.validate(rss), true);
    const channel = parser.parse(rss).rss.channel;
    assert.ok(channel.title && channel.link && channel.description, 'RSS channel title, link, description');
    const items = [channel.item].flat();
    assert.equal(items.length, published.length);
    // The description is HTML (as every feed reader reads it): its text is the letter's.
    const squash = (x: string) => x.replace(/\s+/g, '');
    for (const p of published) assert.ok(items.some((i: any) => String(i.title) === p.headline && squash(htmlShape(String(i.description)).text).startsWith(squash(p.body).slice(0, 40))), p.headline);
    for (const i of items) assert.ok(htmlShape(String(i.description)).elements.every((e) => ['p', 'br', 'strong'].includes(e.tag)), 'only the desk’s own markup in a description');
    assert.doesNotMatch(rss, MARKUP);

    const json = (await (await fetch(`${t.url}/feeds/letters.json`)).json()) as any;
    assert.equal(json.version, 'https://jsonfeed.org/version/1.1');
    assert.ok(json.title && Array.isArray(json.items));
    for (const item of json.items) assert.ok(item.id && (item.content_text || item.content_html === undefined));
    assert.ok(json.items.every((i: any) => i.content_html === undefined), 'no HTML content in the JSON feed');
    for (const p of published) assert.ok(json.items.some((i: any) => i.title === p.headline));
  });

  test('mails are plain text with the reader text as written', async () => {
    const mails = await outbox(t);
    assert.ok(mails.length > published.length);
    for (const m of mails) {
      assert.equal(typeof m.text, 'string');
      assert.equal(m.headers['Content-Type'], undefined, 'no HTML part or content type override');
    }
    const notice = mails.find((m) => m.kind === 'published' && m.to.address.startsWith('hostile'));
    assert.ok(notice);
  });

  test('export escapes Markdown and HTML', async () => {
    const admin = await t.token('admin');
    const { query: days } = daysSince(began);
    const md = await (await fetch(`${t.url}/api/v1/exports/letters?${days}&format=markdown`, { headers: { authorization: `Bearer ${admin}` } })).text();
    // In Markdown the words stay (as text); no tag can open.
    assert.doesNotMatch(md, /<[a-z!\/]/i);
    assert.doesNotMatch(md, /\[[^\]]*\]\(javascript:/);
    const res = await fetch(`${t.url}/api/v1/exports/letters?${days}&format=html`, { headers: { authorization: `Bearer ${admin}` } });
    assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
    assert.doesNotMatch(await res.text(), MARKUP);
    const json = (await (await fetch(`${t.url}/api/v1/exports/letters?${days}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as any;
    assert.equal(json.letters.length, published.length);
    assert.equal((await fetch(`${t.url}/api/v1/exports/letters?${days}`)).status, 401);
  });
});
