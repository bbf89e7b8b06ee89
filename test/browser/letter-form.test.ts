// The letter form in a real browser: with JavaScript on (proof of work solved
// in the page) and off (plain HTML), field errors that keep what was typed,
// and markup-like text that is shown as text and never runs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { getJson, startTestApp, type TestApp } from '../support/app.ts';
import { browserSuite, launchBrowser } from '../support/browser.ts';
import { formCases } from '../support/fixtures.ts';

browserSuite('letter form in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  before(async () => {
    t = await startTestApp('sqlite', { LETTERDESK_POW: 'on' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Fails the test if anything in the page runs code we did not write. */
  function watch(page: Page): string[] {
    const alarms: string[] = [];
    page.on('dialog', (d) => {
      alarms.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => alarms.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(t.url)) alarms.push(`request to ${r.url()}`);
    });
    return alarms;
  }

  async function fill(page: Page, v: { name: string; email: string; town: string; body: string }) {
    await page.getByLabel('Your name').fill(v.name);
    await page.getByLabel('Email address').fill(v.email);
    await page.getByLabel('Town or city').fill(v.town);
    await page.getByLabel('Your letter').fill(v.body);
    await page.getByLabel(/may publish and edit my letter/).check();
  }

  test('with JavaScript on: the challenge is solved in the page and the letter is verified', async () => {
    const page = await browser.newPage();
    const alarms = watch(page);
    await page.goto(`${t.url}/articles/seed-isi-taliban/letter`);
    await fill(page, { name: 'Obadiah Kent', email: 'okent.js@example.com', town: 'Harrisburg, Pa.', body: 'Sent with scripts on.' });
    await page.getByRole('button', { name: 'Send letter' }).click();
    await page.waitForURL(/\/thanks\?sig=/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Thank you, Obadiah Kent');
    const list = await getJson(`${t.url}/api/v1/letters?q=${encodeURIComponent('scripts on')}`, await t.token('viewer'));
    const letter = await getJson(`${t.url}/api/v1/letters/${list.json.items[0].id}`, await t.token('viewer'));
    assert.equal(letter.json.pow, 'verified');
    assert.deepEqual(alarms, []);
    await page.close();
  });

  test('with JavaScript off: the plain form works, and errors keep what was typed', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const alarms = watch(page);
    await page.goto(`${t.url}/articles/a-riverside-tram/letter`);
    await fill(page, { name: 'Rosalind Tierney', email: 'not-an-address', town: 'Eastbank', body: 'The 22 bus is old.' });
    await page.getByRole('button', { name: 'Send letter' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('#error-summary').textContent() ?? '', /valid email address/);
    assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Your letter').inputValue(), 'The 22 bus is old.');
    assert.equal(await page.getByLabel('Your name').inputValue(), 'Rosalind Tierney');
    await page.getByLabel('Email address').fill('rtierney@example.net');
    await page.getByRole('button', { name: 'Send letter' }).click();
    await page.waitForURL(/\/thanks\?sig=/);
    assert.match(await page.locator('.notice').textContent() ?? '', /rtierney@example.net/);
    assert.deepEqual(alarms, []);
    await context.close();
  });

  test('markup-like text, from the form and from other doors, is shown as text and nothing runs', async () => {
    const accepted = formCases().filter((c) => c.expect === 'accepted' && /[<>']/.test(`${c.name}${c.body}`));
    assert.ok(accepted.length >= 2);
    // Letters reach intake from other doors too (email later); feed hostile text straight in.
    const { intakeLetter } = await import('../../src/letters/intake.ts');
    const hostile = [
      `<script>window.__pwned = 1; alert('x')</script> tail`,
      `<img src=x onerror="window.__pwned=2">`,
      `<a href="javascript:window.__pwned=3">click</a>`,
      `"><svg onload=window.__pwned=4>`,
    ];
    const texts = [...accepted.map((c) => ({ name: String(c.name), body: String(c.body) })), ...hostile.map((h, i) => ({ name: `Name ${h}`, body: `Body ${i} ${h}` }))];
    for (const [i, text] of texts.entries()) {
      const r = await intakeLetter(t.ctx, {
        source: 'email',
        article: { id: 'a-data-broker-act', method: 'form', confidence: 1 },
        writer: { name: text.name, email: `hostile${i}@example.com`, town: `<b>Town</b>` },
        subject: null,
        body: text.body,
        consent: true,
        exclusive: false,
        pow: 'none',
        dedupeKey: null,
        actor: 'test',
      });
      const { thanksSignature } = await import('../../src/server/routes/forms/index.ts');
      const page = await browser.newPage();
      const alarms = watch(page);
      await page.goto(`${t.url}/letters/${r.letter.id}/thanks?sig=${thanksSignature(t.ctx.publication.secret, r.letter.id)}`);
      const shown = await page.locator('.letter-text').innerText();
      assert.ok(shown.includes(text.body.split('\n')[0]!.trim()), 'the text is shown as written');
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), `Thank you, ${text.name}`);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0), 0);
      assert.equal(await page.locator('main script, main img, main svg, main a[href^="javascript"], main b').count(), 0, 'no element made from reader text');
      assert.deepEqual(alarms, []);
      await page.close();
    }
  });
});
