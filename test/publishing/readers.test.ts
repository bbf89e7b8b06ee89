// What readers get, on both databases: a letter by SMTP signed "Name / Town"
// has its town and its text without the sign-off; it waits for its writer's
// consent (a link in the acknowledgement, a page with a button) before it can
// be published; a confirmation link confirms nothing until its button is
// pressed; the form, its pages and the mail to the writer are in the
// publication's language, or the reader's where the publication allows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson } from '../support/app.ts';
import { fromOf, LETTERS, startMailDesk, type MailDesk } from '../email/support.ts';
import { act, linkIn, outbox, postForm, waitFor } from './helpers.ts';

async function patchReaders(t: MailDesk, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.url}/api/v1/settings/readers`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('admin')}` }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const langOf = (page: string) => /<html lang="([^"]+)">/.exec(page)?.[1];

/** Submits the form with the browser's Accept-Language; returns the letter's id (from the thank-you page's address). */
async function submitForm(t: MailDesk, acceptLanguage: string, email: string): Promise<{ id: string; thanks: string }> {
  const res = await fetch(`${t.url}/articles/seed-isi-taliban/letter`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': acceptLanguage },
    body: new URLSearchParams({ name: 'Ilse Brandt', email, town: 'Bremen', body: 'The article is right about the border, and wrong about the people who live along it.', consent: 'yes' }).toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 303, await res.text());
  const location = res.headers.get('location')!;
  const thanks = await (await fetch(`${t.url}${location}`, { headers: { 'accept-language': acceptLanguage } })).text();
  return { id: /\/letters\/([^/]+)\/thanks/.exec(location)![1]!, thanks };
}

forEachDialect('readers', (dialect) => {
  let t: MailDesk;
  before(async () => {
    t = await startMailDesk(dialect);
  });
  after(() => t?.close());

  test('a letter by SMTP signed "Name / Town": town set, text without the sign-off; published only after the writer consents through the button', async () => {
    const raw = [
      'From: "H. Finch" <hfinch@example.org>',
      `To: ${LETTERS}`,
      'Subject: Is Pakistan a Bigger Obstacle to Peace Than the Taliban?',
      'Message-ID: <signoff-1@example.org>',
      'Date: Tue, 19 Oct 2010 09:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Dear Editor,',
      '',
      'Your article on Pakistan and the Taliban leaves out the tribal areas, where any settlement will be won or lost.',
      '',
      'Yours,',
      'Harold Finch / Cambridge',
      '',
    ].join('\r\n');
    const sent = await t.send(raw, { from: fromOf(raw) });
    assert.ok(sent.ok, JSON.stringify(sent));
    const admin = await t.token('admin');
    const summary = await waitFor('the letter', async () => (await getJson(`${t.url}/api/v1/letters?limit=20`, admin)).json.items.find((l: any) => l.writer.email === 'hfinch@example.org'));
    const letter = (await getJson(`${t.url}/api/v1/letters/${summary.id}`, admin)).json;
    assert.equal(letter.writer.town, 'Cambridge');
    assert.equal(letter.writer.name, 'Harold Finch');
    assert.ok(letter.body.endsWith('won or lost.'), `the text ends before the closing:\n${letter.body}`);
    assert.doesNotMatch(letter.body, /Harold Finch|Yours,/);
    assert.match(letter.original, /Yours,\r?\nHarold Finch \/ Cambridge/, 'the original keeps the sign-off');
    assert.deepEqual(letter.consent, { given: false, at: null });

    // Publishing without the writer's consent is refused, and says why.
    await act(t, letter.id, { action: 'assign_article', article: 'seed-isi-taliban' });
    const refused = await act(t, letter.id, { action: 'publish' }, 422);
    assert.match(refused.message ?? refused.error ?? JSON.stringify(refused), /not yet agreed to publication/);

    // The acknowledgement asks for consent with a link; opening it shows a button and records nothing.
    const mails = await outbox(t, letter.id);
    const ack = mails.find((m) => m.kind === 'acknowledgement');
    assert.match(ack.subject, /may we publish it\?/);
    const link = linkIn([ack], 'consent');
    const page = await fetch(link);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<button type="submit" id="confirm">I agree<\/button>/);
    assert.match(html, /may publish and edit my letter/);
    assert.deepEqual((await getJson(`${t.url}/api/v1/letters/${letter.id}`, admin)).json.consent, { given: false, at: null }, 'a GET records nothing');

    const pressed = await postForm(link, {});
    assert.equal(pressed.status, 200);
    assert.match(pressed.text, /Thank you for your agreement/);
    const after = (await getJson(`${t.url}/api/v1/letters/${letter.id}`, admin)).json;
    assert.equal(after.consent.given, true);
    assert.ok(!Number.isNaN(Date.parse(after.consent.at)));
    assert.ok(after.history.some((h: any) => h.action === 'consent' && h.actor === 'writer'), 'the consent is in the letter’s history');
    assert.match((await postForm(link, {})).text, /already agreed/, 'pressing again changes nothing');

    const published = await act(t, letter.id, { action: 'publish' });
    assert.equal(published.status, 'published');
    const single = await (await fetch(`${t.url}/letters/${letter.id}`)).text();
    assert.match(single, /Harold Finch<span class="town">, Cambridge<\/span>/);
  });

  test('a letter by email, edited: approving the edit on the page is consent too (the page says so), and it can then be published', async () => {
    const raw = 'From: Ana Ruiz <ana@example.org>\r\nTo: letters@review.example.com\r\nSubject: Is Pakistan a Bigger Obstacle to Peace Than the Taliban?\r\nMessage-ID: <approval-consent@example.org>\r\n\r\nDear Editor,\r\n\r\nThe article is right about the border, and wrong about the people who live along it. They have been asked nothing.\r\n\r\nAna Ruiz, Sevilla\r\n';
    const sent = await t.send(raw, { from: 'ana@example.org' });
    assert.ok(sent.ok);
    const admin = await t.token('admin');
    const summary = await waitFor('the letter', async () => (await getJson(`${t.url}/api/v1/letters?limit=20`, admin)).json.items.find((l: any) => l.writer.email === 'ana@example.org'));
    await act(t, summary.id, { action: 'assign_article', article: 'seed-isi-taliban' });
    await act(t, summary.id, { action: 'edit', body: 'The article is right about the border, and wrong about the people who live along it.' });
    await act(t, summary.id, { action: 'request_approval' });
    const mail = (await outbox(t, summary.id)).find((m) => m.kind === 'approval_request');
    assert.match(mail.text, /By approving this version you also agree that .* may publish it/);
    const link = linkIn([mail], 'approval');
    assert.match(await (await fetch(link)).text(), /By approving this version you also agree/);
    assert.equal((await postForm(link, { decision: 'approve' })).status, 200);
    const letter = (await getJson(`${t.url}/api/v1/letters/${summary.id}`, admin)).json;
    assert.equal(letter.status, 'ready');
    assert.equal(letter.consent.given, true);
    assert.equal((await act(t, summary.id, { action: 'publish' })).status, 'published');
  });

  test('a letter by email in German gets its acknowledgement in German where readers get their own language', async () => {
    assert.equal((await patchReaders(t, { language: 'en', readerLanguage: true })).status, 200);
    const raw = 'From: Jürgen Müller <jm@example.de>\r\nTo: letters@review.example.com\r\nSubject: Pakistan und die Taliban\r\nMessage-ID: <german-letter@example.de>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSehr geehrte Redaktion,\r\n\r\nIhr Artikel über Pakistan und die Taliban lässt die Stammesgebiete aus, in denen jede Einigung gewonnen oder verloren wird. Das ist nicht richtig, und es ist auch nicht neu.\r\n\r\nMit freundlichen Grüßen\r\nJürgen Müller\r\nBremen\r\n';
    assert.ok((await t.send(raw, { from: 'jm@example.de' })).ok);
    const admin = await t.token('admin');
    const summary = await waitFor('the letter', async () => (await getJson(`${t.url}/api/v1/letters?limit=30`, admin)).json.items.find((l: any) => l.writer.email === 'jm@example.de'));
    assert.equal(summary.writer.town, 'Bremen');
    const ack = (await outbox(t, summary.id)).find((m) => m.kind === 'acknowledgement');
    assert.match(ack.subject, /^Ihr Leserbrief an .*: dürfen wir ihn veröffentlichen\?$/);
    assert.match(ack.text, /^Guten Tag Jürgen Müller,/);
    assert.equal((await patchReaders(t, { readerLanguage: false })).status, 200);
  });

  test('a letter by the form has the writer’s consent from the start', async () => {
    const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Form Writer', email: 'form-consent@example.org', town: 'Leeds', body: 'The footbridge is overdue, and the article says why.', consent: true });
    assert.equal(r.status, 202);
    const letter = (await getJson(`${t.url}/api/v1/letters/${r.json.id}`, await t.token('admin'))).json;
    assert.equal(letter.consent.given, true);
    assert.ok(letter.consent.at);
  });

  test('a GET of the confirmation link leaves the letter unconfirmed; the button confirms it', async () => {
    const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: 'Scanned Reader', email: 'scanned@example.org', town: 'York', body: 'Mail scanners open every link in a message; they must not confirm my letter.', consent: true });
    assert.equal(r.json.status, 'unconfirmed');
    const link = linkIn(await outbox(t, r.json.id), 'confirm');
    const admin = await t.token('admin');
    for (let i = 0; i < 3; i++) {
      const res = await fetch(link);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<form method="post" action="\/confirm\/[A-Za-z0-9_-]+">/);
    }
    assert.equal((await getJson(`${t.url}/api/v1/letters/${r.json.id}`, admin)).json.status, 'unconfirmed', 'three GETs confirmed nothing');
    const pressed = await postForm(link, {});
    assert.equal(pressed.status, 200);
    assert.match(pressed.text, /your address is confirmed/);
    assert.equal((await getJson(`${t.url}/api/v1/letters/${r.json.id}`, admin)).json.status, 'new');
  });

  test('the form and the acknowledgement in four languages: by the publication’s setting, then by the reader’s Accept-Language', async () => {
    const expected = {
      en: { form: 'Write a letter about', send: 'Send letter', thanks: 'Thank you, Ilse Brandt', subject: 'Your letter to', mail: 'Thank you for your letter about' },
      de: { form: 'Ihr Leserbrief zu', send: 'Leserbrief senden', thanks: 'Vielen Dank, Ilse Brandt', subject: 'Ihr Leserbrief an', mail: 'vielen Dank für Ihren Leserbrief zu' },
      fr: { form: 'Écrire au sujet de', send: 'Envoyer ma lettre', thanks: 'Merci, Ilse Brandt', subject: 'Votre lettre à', mail: 'Merci pour votre lettre à' },
      es: { form: 'Escriba una carta sobre', send: 'Enviar la carta', thanks: 'Gracias, Ilse Brandt', subject: 'Su carta a', mail: 'Gracias por su carta a' },
    } as const;
    // By setting: the publication's language, whatever the browser asks for.
    for (const [lang, words] of Object.entries(expected)) {
      assert.equal((await patchReaders(t, { language: lang, readerLanguage: false })).status, 200);
      const form = await (await fetch(`${t.url}/articles/seed-isi-taliban/letter`, { headers: { 'accept-language': 'ja' } })).text();
      assert.equal(langOf(form), lang);
      assert.ok(form.includes(words.form) && form.includes(words.send), `${lang} form`);
      const { id, thanks } = await submitForm(t, 'ja', `setting-${lang}@example.org`);
      assert.equal(langOf(thanks), lang);
      assert.ok(thanks.includes(words.thanks), `${lang} thank-you page`);
      const ack = (await outbox(t, id)).find((m) => m.kind === 'acknowledgement');
      assert.ok(ack.subject.startsWith(words.subject), `${lang} subject: ${ack.subject}`);
      assert.ok(ack.text.includes(words.mail), `${lang} mail:\n${ack.text}`);
    }
    // By the reader: English publication that answers readers in their own language.
    assert.equal((await patchReaders(t, { language: 'en', readerLanguage: true })).status, 200);
    for (const [lang, header] of [['de', 'de-CH,de;q=0.9,en;q=0.5'], ['fr', 'fr-FR'], ['es', 'es-419, es;q=0.8'], ['en', 'pt-BR,ja;q=0.5']] as const) {
      const res = await fetch(`${t.url}/articles/seed-isi-taliban/letter`, { headers: { 'accept-language': header } });
      const form = await res.text();
      assert.equal(langOf(form), lang, header);
      assert.equal(res.headers.get('content-language'), lang);
      assert.match(res.headers.get('vary') ?? '', /accept-language/i);
      assert.ok(form.includes(expected[lang].send), `${header}: ${lang} form`);
      const { id } = await submitForm(t, header, `reader-${lang}@example.org`);
      const ack = (await outbox(t, id)).find((m) => m.kind === 'acknowledgement');
      assert.ok(ack.text.includes(expected[lang].mail), `${header}: ${lang} mail:\n${ack.text}`);
    }
    // A field error in the reader's language.
    const bad = await fetch(`${t.url}/articles/seed-isi-taliban/letter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de' }, body: 'name=&email=x&town=Bremen&body=Text' });
    assert.equal(bad.status, 422);
    const page = await bad.text();
    assert.match(page, /Bitte geben Sie Ihren Namen an\./);
    assert.match(page, /Bitte erklären Sie sich einverstanden/);
  });

  test('the embed speaks the publication’s language, and the API answers its field errors in it', async () => {
    assert.equal((await patchReaders(t, { language: 'fr', readerLanguage: false })).status, 200);
    const script = await (await fetch(`${t.url}/embed.js`)).text();
    const messages = JSON.parse(/var M = (\{.*?\});\n/.exec(script)![1]!);
    assert.equal(messages.lang, 'fr');
    assert.equal(messages.send, 'Envoyer ma lettre');
    assert.match(messages.exclusive, /uniquement à/);
    const r = await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: '', email: 'x@example.org', town: 'Lyon', body: 'Texte.', consent: true });
    assert.equal(r.status, 422);
    assert.equal(r.json.fields.name, 'Merci d’indiquer votre nom.');
    assert.equal((await patchReaders(t, { language: 'en' })).status, 200);
    assert.equal((await postJson(`${t.url}/api/v1/letters`, { article: 'seed-isi-taliban', name: '', email: 'x@example.org', town: 'Lyon', body: 'Text.', consent: true })).json.fields.name, 'Please enter your name.');
  });

  test('a publication’s own messages replace the built-in ones; a bad message is refused', async () => {
    assert.equal((await patchReaders(t, { language: 'de', readerLanguage: false, messages: { de: { 'form.send': 'Brief abschicken' } } })).status, 200);
    const form = await (await fetch(`${t.url}/articles/seed-isi-taliban/letter`)).text();
    assert.match(form, /<button type="submit">Brief abschicken<\/button>/);
    const bad = await patchReaders(t, { messages: { de: { 'form.send': 'Senden {' } } });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /form\.send/);
    const unknown = await patchReaders(t, { language: 'it' });
    assert.equal(unknown.status, 422);
    assert.equal((await patchReaders(t, { language: 'en', messages: {} })).status, 200);
  });

  test('the front page is the letters page, with the publication’s colours, logo and an icon', async () => {
    assert.equal((await patchReaders(t, { brand: { accent: '#7a1f2b', logoUrl: 'https://cdn.example.org/logo.svg' } })).status, 200);
    const res = await fetch(`${t.url}/`);
    assert.equal(res.status, 200);
    const front = await res.text();
    assert.match(front, /<h1>Letters to the editor<\/h1>/);
    assert.match(front, /<img class="logo" src="https:\/\/cdn\.example\.org\/logo\.svg"/);
    assert.match(res.headers.get('content-security-policy')!, /img-src 'self' data: https:\/\/cdn\.example\.org;/);
    const theme = /href="(\/theme\.css\?v=[^"]+)"/.exec(front)![1]!;
    assert.match(await (await fetch(`${t.url}${theme}`)).text(), /--accent: #7a1f2b;/);
    const icon = await fetch(`${t.url}/favicon.svg`);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    assert.match(await icon.text(), /#7a1f2b/);
    assert.equal((await fetch(`${t.url}/favicon.ico`, { redirect: 'manual' })).status, 301);
    assert.equal((await patchReaders(t, { brand: { logoUrl: 'javascript:alert(1)' } })).status, 422);
    // A regional form of a built-in language: its words, and its own way of writing dates.
    assert.equal((await patchReaders(t, { language: 'en-GB' })).status, 200);
    const british = await (await fetch(`${t.url}/letters`)).text();
    assert.equal(langOf(british), 'en-GB');
    const day = new Date().toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    assert.ok(british.includes(day), `dates as the British write them: ${day}`);
    assert.equal((await patchReaders(t, { language: 'en' })).status, 200);
  });
});
