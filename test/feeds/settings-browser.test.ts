// The article feeds on the desk's settings page, in Chromium: an admin sees a
// broken feed's error (what went wrong, when) beside a working feed's counts,
// adds a feed through the form and sees it polled, all without a WCAG 2.2 AA
// violation (axe-core), at 1280×800 and at phone width. Screenshots go to
// test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { browserSuite, launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ensureDeskBuilt } from '../../src/desk/web-build.ts';
import { createUser, PASSWORD } from '../desk/support.ts';
import { startFeedServer, type FeedServer } from './feed-server.ts';
import { rss } from './documents.ts';
import { addFeed, article } from './support.ts';

const RESULTS = new URL('../../test-results/', import.meta.url);
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE);
  const result: any = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const v = result.violations.map((x: any) => `${x.id}: ${x.help} (${x.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  assert.deepEqual(v, [], `axe on ${what}`);
}

browserSuite('article feeds on the settings page', () => {
  let t: TestApp;
  let cms: FeedServer;
  let browser: Browser;
  let admin: { email: string };

  before(async () => {
    await ensureDeskBuilt();
    fs.mkdirSync(RESULTS, { recursive: true });
    t = await startTestApp('sqlite');
    cms = await startFeedServer();
    admin = await createUser(t.ctx, 'admin', 'admin@desk.example');
    cms.set('/feed/', { type: 'application/rss+xml', body: rss([{ url: 'https://review.example.com/2024/05/tram-fares/', title: 'Tram fares rise again', author: 'Dana Reyes', date: '2024-05-01T09:00:00Z', section: 'Opinion', html: '<p>Fares.</p>' }]) });
    cms.set('/broken.xml', { status: 500, type: 'text/plain', body: 'Internal Server Error' });
    await addFeed(t, `${cms.url}/feed/`);
    await addFeed(t, `${cms.url}/broken.xml`);
    await t.desk.background.runJobs();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await cms?.close();
    await t?.close();
  });

  async function settingsPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${t.url}/desk/`);
    await page.fill('#email', admin.email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('h1#queue-title');
    await page.goto(`${t.url}/desk/#/settings`);
    await page.waitForSelector('h2#feeds-title');
    await page.waitForSelector('li.feed');
    return page;
  }

  test("a broken feed's error shows beside the working feed; an admin adds a feed and sees it read", async () => {
    const page = await settingsPage({ width: 1280, height: 800 });
    const broken = page.locator('li.feed', { hasText: '/broken.xml' });
    assert.match((await broken.textContent()) ?? '', /Failing/);
    assert.match((await broken.locator('.feed-error').textContent()) ?? '', /HTTP 500 Internal Server Error from the feed's server/);
    assert.match((await broken.textContent()) ?? '', /Last success\s*never/);
    const working = page.locator('li.feed', { hasText: '/feed/' });
    assert.match((await working.textContent()) ?? '', /Working/);
    assert.match((await working.textContent()) ?? '', /1 added, 0 updated/);
    await page.locator('#feeds-title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL('settings-feeds.png', RESULTS).pathname, fullPage: true });
    await axe(page, 'the settings page with feeds');

    cms.set('/atom.xml', { type: 'application/atom+xml', body: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>Parks need wardens</title><link href="https://review.example.com/2024/05/parks/"/><published>2024-05-04T08:00:00Z</published></entry></feed>' });
    await page.fill('#feed-url', `${cms.url}/atom.xml`);
    await page.click('form.feed-form button[type=submit]');
    await page.waitForSelector('li.feed:has-text("/atom.xml")');
    await t.desk.background.runJobs();
    await page.locator('li.feed', { hasText: '/atom.xml' }).getByText('Working').waitFor();
    assert.equal((await article(t, 'https://review.example.com/2024/05/parks/'))?.title, 'Parks need wardens');
    await page.context().close();
  });

  test('at phone width the feeds read in one column, without axe violations', async () => {
    const page = await settingsPage({ width: 390, height: 844 });
    await page.locator('#feeds-title').scrollIntoViewIfNeeded();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling (${width}px)`);
    await page.locator('section[aria-labelledby=feeds-title]').screenshot({ path: new URL('settings-feeds-phone.png', RESULTS).pathname });
    await axe(page, 'the settings page at phone width');
    await page.context().close();
  });
});
