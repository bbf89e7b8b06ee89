// Every output context escapes reader text for the way its reader interprets
// it. Property-based (fast-check, fixed seed): letters made of script vectors,
// markup-like prose and the characters that matter, rendered by the feed,
// export and page functions, then read back as their readers would: XML
// parsed, then RSS descriptions and Atom content parsed as HTML, Markdown
// rendered by a CommonMark renderer (with raw HTML and link detection on:
// only bare web addresses may become links),
// CSV split by RFC 4180. No reader sees an element that the desk did not put
// there, and every reader sees the writer's text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import MarkdownIt from 'markdown-it';
import type { PublishedLetter } from '../../src/db/repositories/published.ts';
import { atomFeed, bylineOf, jsonFeed, plainTextOf, rssFeed } from '../../src/publishing/feeds.ts';
import { csvCell, toCsv, toHtml, toMarkdown, CSV_COLUMNS } from '../../src/publishing/export.ts';
import { lettersPage } from '../../src/server/routes/public/presenter.ts';
import { translator } from '../../src/i18n/index.ts';
import { defaultReaderSettings } from '../../src/publishing/readers.ts';
import { htmlShape, readerText, withoutXmlInvalid } from '../support/xss.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.OUTPUT_FUZZ_RUNS ?? 300);
const info = { title: 'The Review: letters', publicUrl: 'https://desk.example.org', updated: new Date('2026-11-30T00:00:00Z') };

const letterArb = fc.record({
  body: readerText().filter((s) => s.trim().length > 0),
  name: readerText({ lines: false }).filter((s) => s.trim().length > 0),
  town: fc.option(readerText({ lines: false }), { nil: null }),
  headline: fc.option(readerText({ lines: false }), { nil: null }),
  reply: fc.option(readerText(), { nil: null }),
});

type LetterInput = { body: string; name: string; town: string | null; headline: string | null; reply: string | null };

function letterOf(x: LetterInput, i = 0): PublishedLetter {
  const at = new Date('2026-11-29T10:00:00Z');
  return {
    id: `01a00000-0000-7000-8000-00000000000${i}`,
    articleId: 'seed-isi-taliban',
    articleTitle: 'Is Pakistan a Bigger Obstacle to Peace Than the Taliban?',
    articleUrl: 'https://review.example.com/isi',
    headline: x.headline,
    displayName: x.name,
    town: x.town,
    body: x.body,
    publishedAt: at,
    updatedAt: at,
    replies: x.reply ? [{ id: 'r', letterId: 'l', authorName: 'The Author', body: x.reply, createdAt: at }] : [],
  };
}

const squash = (s: string) => withoutXmlInvalid(s).replace(/\s+/g, '');
/** What a feed reader shows of the HTML we write: paragraphs, line breaks, a byline, bold for a reply's heading. */
const OUR_HTML = new Set(['p', 'br', 'strong']);

function ourMarkupOnly(where: string, html: string) {
  const shape = htmlShape(html);
  for (const e of shape.elements) {
    assert.ok(OUR_HTML.has(e.tag), `${where}: a <${e.tag}> element appeared`);
    for (const a of e.attrs) assert.equal(a, 'class=byline', `${where}: attribute ${a} on <${e.tag}>`);
  }
  return shape.text;
}

const xml = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false, trimValues: false, parseTagValue: false });

test('RSS: the description, read as HTML after XML, holds only our markup and the letter as text', () => {
  fc.assert(
    fc.property(letterArb, (x) => {
      const l = letterOf(x);
      const rss = rssFeed(info, [l]);
      assert.equal(XMLValidator.validate(rss), true);
      const item = xml.parse(rss).rss.channel.item;
      const text = ourMarkupOnly('RSS description', String(item.description));
      assert.equal(squash(text), squash(plainTextOf(l)));
      assert.equal(String(item['dc:creator']), withoutXmlInvalid(bylineOf(l)));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('Atom: content is type="html" holding only our markup; title and author are plain text', () => {
  fc.assert(
    fc.property(letterArb, (x) => {
      const l = letterOf(x);
      const atom = atomFeed(info, [l]);
      assert.equal(XMLValidator.validate(atom), true);
      const entry = xml.parse(atom).feed.entry;
      assert.equal(entry.content['@_type'], 'html');
      const text = ourMarkupOnly('Atom content', String(entry.content['#text'] ?? ''));
      assert.equal(squash(text), squash(plainTextOf(l)));
      assert.equal(entry.title['@_type'], 'text');
      assert.equal(String(entry.author.name), withoutXmlInvalid(bylineOf(l)));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('JSON Feed: the letter as content_text only, exactly', () => {
  fc.assert(
    fc.property(letterArb, (x) => {
      const l = letterOf(x);
      const item = JSON.parse(JSON.stringify(jsonFeed(info, [l]))).items[0];
      assert.equal(item.content_html, undefined);
      assert.equal(item.content_text, plainTextOf(l));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('HTML pages and the HTML export: only the desk’s own elements, the letter as text', () => {
  fc.assert(
    fc.property(letterArb, (x) => {
      const l = letterOf(x);
      for (const [where, page] of [['letters page', lettersPage({ t: translator('en'), publicationName: 'The Review', brand: defaultReaderSettings.brand, themeVersion: 'x' }, { letters: [l], page: 1, hasMore: false })], ['HTML export', toHtml('Letters', [l])]] as const) {
        const body = page.slice(page.indexOf('<body>'));
        const shape = htmlShape(body);
        for (const e of shape.elements) {
          assert.ok(!['script', 'img', 'svg', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'input', 'textarea', 'math', 'video', 'audio', 'noscript', 'template', 'details', 'button', 'select'].includes(e.tag), `${where}: <${e.tag}>`);
          for (const a of e.attrs) assert.doesNotMatch(a, /^(on|style=|srcdoc=)|^(href|src|action|formaction)=\s*(javascript|vbscript|data):/i, `${where}: ${a}`);
        }
        assert.ok(squash(shape.text).includes(squash(l.body.split(/\n{2,}/)[0]!)), `${where}: the letter's text is shown`);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('Markdown export, rendered by CommonMark with raw HTML and link detection on: no element from the letter, the text kept', () => {
  const md = new MarkdownIt({ html: true, linkify: true });
  fc.assert(
    fc.property(letterArb, (x) => {
      const l = letterOf(x);
      const out = md.render(toMarkdown('Letters', [l]));
      const shape = htmlShape(out);
      for (const e of shape.elements) {
        // A renderer that detects links turns a bare web address into one (its choice, and not a script); nothing else.
        if (e.tag === 'a' && e.attrs.length === 1 && /^href=(https?:|mailto:)/.test(e.attrs[0]!)) continue;
        assert.ok(['h1', 'h2', 'p', 'em', 'strong', 'br'].includes(e.tag) && e.attrs.length === 0, `a <${e.tag} ${e.attrs.join(' ')}> from ${JSON.stringify(l)}`);
      }
      assert.ok(squash(shape.text).includes(squash(l.body)), `text kept: ${JSON.stringify(l.body)}`);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

/** RFC 4180 reader. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < s.length) {
    assert.equal(s[i], '"', `every cell is quoted (at ${i})`);
    let cell = '';
    i++;
    for (;;) {
      const q = s.indexOf('"', i);
      assert.ok(q >= 0, 'closing quote');
      cell += s.slice(i, q);
      if (s[q + 1] === '"') {
        cell += '"';
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    row.push(cell);
    if (s[i] === ',') i++;
    else if (s.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else assert.fail(`unexpected ${JSON.stringify(s[i])} after a cell`);
  }
  return rows;
}

test('CSV: every cell reads back as written, and none starts a formula', () => {
  const formula = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;
  fc.assert(
    fc.property(fc.array(letterArb, { minLength: 1, maxLength: 3 }), (xs) => {
      const letters = xs.map(letterOf);
      const rows = parseCsv(toCsv(letters));
      assert.deepEqual(rows[0], [...CSV_COLUMNS]);
      for (const [r, l] of letters.entries()) {
        const row = rows[r + 1]!;
        assert.equal(row.length, CSV_COLUMNS.length);
        const written = [l.id, l.publishedAt.toISOString(), l.articleId ?? '', l.articleTitle ?? '', l.headline ?? '', l.displayName, l.town ?? '', l.body];
        for (const [c, cell] of row.entries()) {
          assert.ok(!formula.test(cell), `cell ${CSV_COLUMNS[c]} starts a formula: ${JSON.stringify(cell)}`);
          assert.equal(cell.replace(/^'(?=[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/, ''), written[c]);
        }
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // The OWASP examples, one by one.
  for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', ' =1', '＝1']) assert.equal(csvCell(v), `"'${v}"`);
  assert.equal(csvCell('plain "text"'), '"plain ""text"""');
});
