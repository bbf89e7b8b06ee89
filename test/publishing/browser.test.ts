// The whole loop in a real browser: the embed on a plain article page (with
// hostile CSS) served by the test, a letter sent through it (proof of work
// solved in the page), the address confirmed and the edit approved through
// the emailed links, the letter published through the API, then visible in
// the embed, on /letters and in all three feeds.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { browserUnavailable, CHROMIUM, requireBrowser } from '../support/env.ts';
import { getJson, startTestApp } from '../support/app.ts';
import { act, linkIn, outbox, waitFor } from './helpers.ts';

const why = browserUnavailable();
if (why && requireBrowser) throw new Error(`REQUIRE_BROWSER=1 but ${why}`);

function hostPage(deskUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Is Pakistan a Bigger Obstacle to Peace?</title>
<style>
  /* A hostile host stylesheet: none of this may reach the embed's insides. */
  * { font-size: 3px !important; }
  div, section, form, input, textarea, button, p, h2, h3, article { display: none !important; color: red !important; }
  letterdesk-letters { display: none !important; opacity: 0 !important; }
  body { font-family: Georgia, serif; color: rgb(20, 30, 40); }
</style></head>
<body><main><h1>Is Pakistan a Bigger Obstacle to Peace Than the Taliban?</h1>
<p>We want to hear what you think about this article.</p>
<script src="${deskUrl}/embed.js" data-article="seed-isi-taliban" async></script>
</main></body></html>`;
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${a.port}/article.html`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

test('embed → letter → approval link → published → embed, /letters and feeds', { skip: why ? `skipped: ${why}` : false, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  // Proof of work on: the embed must solve the challenge like a real reader's browser.
  const t = await startTestApp('sqlite', { LETTERDESK_POW: 'on' });
  const host = await hostPage(t.url);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.goto(host.url);
    const embed = page.locator('letterdesk-letters');
    await embed.getByText('Write a letter').waitFor();
    // The host's hostile CSS did not hide or shrink the embed.
    assert.ok(await page.locator('letterdesk-letters textarea').isVisible());
    const fontSize = await page.locator('letterdesk-letters textarea').evaluate((e) => getComputedStyle(e).fontSize);
    assert.equal(fontSize, '16px');

    const text = 'Your article asks whether Pakistan is a bigger obstacle than the Taliban. I think the question is right, but the answer depends on what the ISI believes it gains from delay.';
    await page.locator('letterdesk-letters #ld-name').fill('Ada Quill');
    await page.locator('letterdesk-letters #ld-email').fill('ada.quill@example.com');
    await page.locator('letterdesk-letters #ld-town').fill('Leeds');
    await page.locator('letterdesk-letters #ld-body').fill(text);
    await page.locator('letterdesk-letters #ld-consent').check();
    await page.locator('letterdesk-letters button[type=submit]').click();
    await embed.getByText('Thank you for your letter').waitFor({ timeout: 60_000 });

    const admin = await t.token('admin');
    const list = await getJson(`${t.url}/api/v1/letters?limit=5`, admin);
    const letter = list.json.items.find((l: any) => l.writer.email === 'ada.quill@example.com');
    assert.ok(letter);
    assert.equal((await getJson(`${t.url}/api/v1/letters/${letter.id}`, admin)).json.pow, 'verified');

    // The writer confirms their address from the acknowledgement, in the browser.
    await page.goto(linkIn(await outbox(t, letter.id), 'confirm'));
    await page.locator('#confirm').click();
    await page.getByText('address is confirmed').waitFor();

    await act(t, letter.id, { action: 'shortlist' });
    const edited = text.replace('I think the question is right, but', 'The question is right; but');
    await act(t, letter.id, { action: 'edit', body: edited, headline: 'What the ISI gains from delay' });
    await act(t, letter.id, { action: 'request_approval' });
    const approval = linkIn((await outbox(t, letter.id)).filter((m) => m.kind === 'approval_request'), 'approval');
    await page.goto(approval);
    await page.locator('#approve').click();
    await page.getByText('you approved the edited letter').waitFor();
    assert.equal((await getJson(`${t.url}/api/v1/letters/${letter.id}`, admin)).json.status, 'ready');

    const published = await act(t, letter.id, { action: 'publish' });
    assert.equal(published.status, 'published');

    // The embed shows it.
    await page.goto(host.url);
    await embed.getByText('What the ISI gains from delay').waitFor();
    assert.ok(await embed.getByText('The question is right; but', { exact: false }).isVisible());
    assert.ok(await embed.getByText('Ada Quill, Leeds').isVisible());

    // /letters shows it.
    await page.goto(`${t.url}/letters`);
    await page.getByText('What the ISI gains from delay').waitFor();

    // And the three feeds carry it.
    const parser = new XMLParser({ ignoreAttributes: false });
    const atom = await (await fetch(`${t.url}/feeds/letters.atom`)).text();
    assert.equal(XMLValidator.validate(atom), true);
    const entry = [parser.parse(atom).feed.entry].flat()[0];
    assert.equal(entry.title['#text'], 'What the ISI gains from delay');
    const rss = await (await fetch(`${t.url}/feeds/letters.rss`)).text();
    assert.equal(XMLValidator.validate(rss), true);
    assert.equal([parser.parse(rss).rss.channel.item].flat()[0].title, 'What the ISI gains from delay');
    const json = (await (await fetch(`${t.url}/feeds/letters.json`)).json()) as any;
    assert.equal(json.items[0].title, 'What the ISI gains from delay');
    assert.match(json.items[0].content_text, /The question is right; but/);
  } finally {
    await browser.close();
    await host.close();
    await t.close();
  }
});
