// The pages readers see, in Chromium: the form in four languages (words,
// <html lang>, a live word count, an error cleared once its field is fixed),
// the letters page and the form on a phone and a desktop (screenshots in
// test-results/), and axe-core finding no WCAG 2.2 AA violation on every
// public page: front, letters, a letter, an article's letters, the form with
// and without errors, thank-you, confirmation, consent, approval, withdraw,
// not found.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { getJson, postJson, startTestApp, type TestApp } from '../support/app.ts';
import { browserSuite, launchBrowser } from '../support/browser.ts';
import { act, linkIn, outbox, postForm } from '../publishing/helpers.ts';

const RESULTS = new URL('../../test-results/', import.meta.url);
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function axe(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE);
  const result: any = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  const v = result.violations.map((x: any) => `${x.id}: ${x.help} (${x.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  assert.deepEqual(v, [], `axe on ${what}`);
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: new URL(name, RESULTS).pathname, fullPage: true });
}

browserSuite('pages readers see, in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  const patchReaders = async (body: unknown) => {
    const res = await fetch(`${t.url}/api/v1/settings/readers`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('admin')}` }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
  };
  const published: string[] = [];

  before(async () => {
    t = await startTestApp('sqlite');
    browser = await launchBrowser();
    const letters = [
      { name: 'Amina Rahman', town: 'Leeds', body: 'Your article overlooks the tribal areas entirely. Any settlement must involve the people who live there, not only the generals in Rawalpindi.\n\nThe column is right that the ISI gains from delay; it is wrong that nobody can change that.', headline: 'The people of the tribal areas' },
      { name: 'Obadiah Kent', town: 'Harrisburg, Pa.', body: 'I am not fully convinced by the argument, but it changed how I read the news from Kabul this week.', headline: null },
      { name: 'Ilse Brandt', town: 'Bremen', body: 'A short letter: the map in the print edition had the border in the wrong place.', headline: 'The map was wrong' },
    ];
    for (const [i, l] of letters.entries()) {
      const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: l.name, email: `reader${i}@example.org`, town: l.town, body: l.body, consent: true });
      assert.equal(r.status, 202);
      await postForm(linkIn(await outbox(t, r.json.id), 'confirm'), {});
      await act(t, r.json.id, { action: 'publish', ...(l.headline ? { headline: l.headline } : {}) });
      published.push(r.json.id);
    }
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test('the form in four languages: words, <html lang>, a live word count, errors cleared once fixed', async () => {
    const words = {
      en: { send: 'Send letter', name: 'Your name', body: 'Your letter', count: '5 words of 250', missing: 'Please enter your name.' },
      de: { send: 'Leserbrief senden', name: 'Ihr Name', body: 'Ihr Leserbrief', count: '5 Wörter von 250', missing: 'Bitte geben Sie Ihren Namen an.' },
      fr: { send: 'Envoyer ma lettre', name: 'Votre nom', body: 'Votre lettre', count: '5 mots sur 250', missing: 'Merci d’indiquer votre nom.' },
      es: { send: 'Enviar la carta', name: 'Su nombre', body: 'Su carta', count: '5 palabras de 250', missing: 'Indique su nombre, por favor.' },
    } as const;
    for (const [lang, w] of Object.entries(words)) {
      await patchReaders({ language: lang });
      const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(`${t.url}/articles/seed-isi-taliban/letter`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.getByRole('button', { name: w.send }).count(), 1);
      await page.getByLabel(w.body).fill('One two three four five');
      assert.equal(await page.locator('#body-count').textContent(), w.count, `${lang}: the word count follows the text`);
      // Sent with the name missing: the error is there, in the language, and goes once the name is typed.
      await page.getByRole('button', { name: w.send }).click();
      await page.waitForSelector('#name-error');
      assert.ok((await page.locator('#name-error').textContent())!.includes(w.missing), `${lang}: ${await page.locator('#name-error').textContent()}`);
      await axe(page, `the form with errors (${lang})`);
      await shot(page, `reader-form-errors-${lang}-phone.png`);
      await page.getByLabel(w.name).fill('Ilse Brandt');
      assert.equal(await page.locator('#name-error').count(), 0, `${lang}: the name's error is cleared`);
      assert.equal(await page.getByLabel(w.name).getAttribute('aria-invalid'), null);
      assert.equal(await page.locator('#error-summary li[data-for="name"]').count(), 0, `${lang}: and its line in the summary`);
      assert.ok(await page.locator('#email-error').count(), `${lang}: the email's error stays until it is fixed`);
      await context.close();
    }
    await patchReaders({ language: 'en' });
  });

  test('the letters page and the form on a phone and a desktop', async () => {
    await patchReaders({ brand: { accent: '#8a1c2b' } });
    for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: size === 'phone' ? 2 : 1, isMobile: size === 'phone' });
      const page = await context.newPage();
      await page.goto(`${t.url}/letters`);
      assert.equal(await page.locator('article.published-letter').count(), 3);
      assert.equal(await page.locator('article.published-letter time[datetime]').count(), 3);
      assert.ok(await page.getByRole('link', { name: 'Write a letter' }).first().isVisible());
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(overflow, false, `${size}: nothing wider than the screen`);
      await shot(page, `reader-letters-${size}.png`);
      await page.goto(`${t.url}/articles/seed-isi-taliban/letter`);
      await page.getByLabel('Your letter').fill('Your article overlooks the tribal areas entirely. Any settlement must involve the people who live there.');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, `${size}: the form fits`);
      await shot(page, `reader-form-${size}.png`);
      await context.close();
    }
    await patchReaders({ brand: { accent: null } });
  });

  test('axe-core finds no WCAG 2.2 AA violation on any public page', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const visit = async (url: string, what: string) => {
      const res = await page.goto(url.startsWith('http') ? url : `${t.url}${url}`);
      assert.ok(res, what);
      await axe(page, what);
    };
    await visit('/', 'the front page');
    await visit('/letters', 'the letters page');
    await visit(`/letters/${published[0]}`, 'a letter');
    await shot(page, 'reader-letter-desktop.png');
    await visit('/articles/seed-isi-taliban/letters', "an article's letters");
    await visit('/articles/seed-isi-taliban/letter', 'the form');
    await visit('/nowhere', 'not found');
    // The thank-you page, the confirmation page (a button), consent, approval and withdraw pages.
    await page.goto(`${t.url}/articles/seed-isi-taliban/letter`);
    await page.getByLabel('Your name').fill('Rosa Delgado');
    await page.getByLabel('Email address').fill('rosa@example.org');
    await page.getByLabel('Town or city').fill('Millbrook');
    await page.getByLabel('Your letter').fill('The funding formula of 1994 still decides what our valley school gets, and the boiler does not care.');
    await page.getByLabel(/may publish and edit my letter/).check();
    await page.getByRole('button', { name: 'Send letter' }).click();
    await page.waitForURL(/\/thanks\?sig=/);
    await axe(page, 'the thank-you page');
    const id = /\/letters\/([^/]+)\/thanks/.exec(page.url())![1]!;
    const mails = await outbox(t, id);
    await visit(linkIn(mails, 'confirm'), 'the confirmation page');
    await page.locator('#confirm').click();
    await page.getByText('your address is confirmed').waitFor();
    await axe(page, 'confirmed');
    await visit(linkIn(mails, 'withdraw'), 'the withdraw page');
    await act(t, id, { action: 'edit', body: 'The funding formula of 1994 still decides what our school gets.' });
    await act(t, id, { action: 'request_approval' });
    await visit(linkIn((await outbox(t, id)).filter((m) => m.kind === 'approval_request'), 'approval'), 'the approval page');
    await shot(page, 'reader-approval-desktop.png');
    // A letter by mail: its consent page.
    const raw = await fetch(`${t.url}/api/v1/inbound/raw`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${await t.token('admin')}` },
      body: 'From: Harold Finch <hfinch@example.org>\r\nTo: letters@review.example.com\r\nSubject: The tribal areas\r\nMessage-ID: <consent-page@example.org>\r\n\r\nDear Editor,\r\n\r\nThe article leaves out the tribal areas, where a settlement will be won or lost.\r\n\r\nHarold Finch / Cambridge\r\n',
    });
    const letterId = (await raw.json()).letterId;
    assert.ok(letterId);
    await visit(linkIn(await outbox(t, letterId), 'consent'), 'the consent page');
    await shot(page, 'reader-consent-desktop.png');
    assert.equal((await getJson(`${t.url}/api/v1/letters/${letterId}`, await t.token('admin'))).json.consent.given, false);
    await page.close();
  });
});
