// "What readers think" in Chromium: an editor reaches an article's page from
// the queue's article filter, sees the letters-over-time chart (an SVG from
// the server), voices with the campaign counted once, lines of argument
// with representatives and the fairness sentence; a letter's view shows its
// stance and theme and teaches both; the weekly report page. axe-core finds
// no WCAG 2.2 AA violations at 1280×800 and at phone width. Screenshots go
// to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailable, CHROMIUM, requireBrowser } from '../support/env.ts';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { ensureDeskBuilt } from '../../src/desk/web-build.ts';
import { createUser, PASSWORD } from '../desk/support.ts';
import { loadInsightLetters } from './corpus.ts';

const why = browserUnavailable();
if (why && requireBrowser) throw new Error(`REQUIRE_BROWSER=1 but ${why}`);
const RESULTS = new URL('../../test-results/', import.meta.url);
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ARTICLE = 'seed-isi-taliban';

async function axe(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE);
  const result: any = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const v = result.violations.map((x: any) => `${x.id}: ${x.help} (${x.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  assert.deepEqual(v, [], `axe on ${what}`);
}

describe('what readers think, in a browser', { skip: why ? `skipped: ${why}` : false }, () => {
  let t: TestApp;
  let browser: Browser;
  let editor: { email: string };
  const letterIds: string[] = [];

  before(async () => {
    await ensureDeskBuilt();
    fs.mkdirSync(RESULTS, { recursive: true });
    t = await startTestApp('sqlite');
    editor = await createUser(t.ctx, 'editor', 'editor@insights.example');
    for (const [i, l] of loadInsightLetters().get(ARTICLE)!.entries()) {
      const r = await postJson(`${t.url}/api/v1/letters`, { article: ARTICLE, name: `Reader ${i}`, email: `reader${i}@example.net`, town: 'Leeds', body: l.body, consent: true });
      assert.equal(r.status, 202);
      letterIds.push(r.json.id);
    }
    do await t.drainEvents();
    while ((await t.desk.background.runJobs()) > 0);
    // Four letters published, so the page has a selection to compare.
    const auth = { authorization: `Bearer ${await t.token('editor')}` };
    for (const id of letterIds.slice(0, 4)) {
      await postJson(`${t.url}/api/v1/letters/${id}/actions`, { action: 'shortlist' }, auth);
      assert.equal((await postJson(`${t.url}/api/v1/letters/${id}/actions`, { action: 'publish' }, auth)).status, 200);
    }
    await t.drainEvents();
    browser = await (await import('playwright-core')).chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${t.url}/desk/`);
    await page.fill('#email', editor.email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('h1#queue-title');
    return page;
  }

  test('the page, reached from the queue, with chart, voices, themes, representatives and fairness; axe at desktop and phone width', async () => {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      // Read again each time: the desktop pass teaches a letter.
      const expected = (await getJson(`${t.url}/api/v1/articles/${ARTICLE}/insights`, await t.token('viewer'))).json;
      assert.ok(expected.themes.length >= 2);
      const page = await signedIn(viewport);
      // Letters by the API wait unconfirmed: the queue's "All" tab shows them.
      await page.click('nav a:has-text("All")');
      await page.waitForSelector('table.queue');
      await page.selectOption('#article-filter', ARTICLE);
      // The queue shows each letter's stance, marked as an estimate.
      await page.waitForSelector('table.queue .stance-tag');
      assert.match((await page.locator('table.queue .stance-tag').first().textContent()) ?? '', /^Stance: (agrees|disagrees|mixed) \((estimate, \d+%|editor)\)$/);
      await page.screenshot({ path: new URL(`insights-queue-${name}.png`, RESULTS).pathname });
      await page.click('a:has-text("What readers think of this article")');
      await page.waitForSelector('h1#insights-title');
      await page.waitForSelector('ol.themes li.theme');
      // The chart is the server's SVG, loaded, with its figures in words.
      await page.waitForFunction(() => { const img = document.querySelector('figure.chart img') as HTMLImageElement | null; return !!img && img.complete && img.naturalWidth > 0; });
      assert.match((await page.getAttribute('figure.chart img', 'alt')) ?? '', /Letters per day by door: \d{4}-\d{2}-\d{2}: 60/);
      const text = (await page.textContent('article.insights')) ?? '';
      assert.ok(text.includes(`${expected.voices} voices (1 campaign, ${expected.voiceCount.campaignLetters} signers)`), 'voices with the campaign counted once');
      assert.match(text, /estimates/);
      assert.match(text, /Published: \d of \d (agree|disagree|are mixed|is mixed)/);
      assert.equal(await page.locator('ol.themes > li.theme').count(), expected.themes.length);
      const first = expected.themes[0];
      const card = page.locator('ol.themes > li.theme').first();
      assert.equal((await card.locator('h3').textContent())?.replace('suggested name', '').trim(), first.label);
      assert.equal(await card.locator('ul.reps li').count(), first.representatives.length);
      await page.screenshot({ path: new URL(`insights-${name}.png`, RESULTS).pathname, fullPage: true });
      await axe(page, `the insights page (${name})`);
      // From a representative to its letter, where stance and theme are shown and taught.
      await card.locator('ul.reps a').first().click();
      await page.waitForSelector('#insight-title');
      const panel = (await page.textContent('section.letter-insight')) ?? '';
      assert.match(panel, /estimate, \d+% confident|set by an editor/);
      assert.ok(panel.includes(first.label), 'the letter shows its theme');
      if (name === 'desktop') {
        await page.selectOption('#teach-stance', 'disagree');
        await page.click('button:has-text("Set stance")');
        await page.waitForSelector('section.letter-insight:has-text("set by an editor")');
        await page.fill('#teach-theme', 'Pakistan plays both sides');
        await page.click('button:has-text("File")');
        await page.waitForSelector('section.letter-insight:has-text("filed by an editor")');
        assert.match((await page.textContent('ol.history')) ?? '', /stance[\s\S]*theme|theme[\s\S]*stance/);
        await page.screenshot({ path: new URL('insights-letter.png', RESULTS).pathname, fullPage: true });
      }
      await axe(page, `a letter with its insight (${name})`);
      await page.context().close();
    }
  });

  test('the weekly report page, with downloads; axe at desktop and phone width', async () => {
    for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      const page = await signedIn(viewport);
      await page.click('a:has-text("Weekly report")');
      await page.waitForSelector('h1#report-title');
      await page.waitForSelector('ol.themes li.theme');
      const text = (await page.textContent('article.insights')) ?? '';
      assert.match(text, /Is Pakistan a Bigger Obstacle/);
      assert.match(text, /Campaigns set aside/);
      assert.equal(await page.locator('a:has-text("Download Markdown")').count(), 1);
      await page.screenshot({ path: new URL(`weekly-report-${name}.png`, RESULTS).pathname, fullPage: true });
      await axe(page, `the weekly report (${name})`);
      await page.context().close();
    }
  });
});
