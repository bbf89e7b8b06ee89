// The catalogues: every message of every language formats with the values
// the pages and mails give it, each language is its own (no English left in
// place), and the reader's language is chosen from Accept-Language as RFC
// 9110 says (quality, then order; a regional tag served by its language).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN, checkExtensions, negotiate, translator, type MessageKey } from '../../src/i18n/index.ts';

const VALUES = { publication: 'The Review', title: 'Is Pakistan a Bigger Obstacle?', name: 'Ilse', email: 'ilse@example.org', count: 3, limit: 250, field: 'name', max: 100, detail: 'x', words: 1200, days: 14, date: 'today', page: 2, when: 'soon', open: '{+', close: '+}' };

test('every message of every built-in language formats, and none is left in English', () => {
  const keys = Object.keys(BUILT_IN.en!) as MessageKey[];
  for (const [lang, catalogue] of Object.entries(BUILT_IN)) {
    assert.deepEqual(Object.keys(catalogue).sort(), [...keys].sort(), `${lang}: the same keys as English`);
    const t = translator(lang);
    for (const key of keys) {
      const text = t.t(key, VALUES);
      assert.ok(text.trim(), `${lang} ${key}`);
      assert.doesNotMatch(text, /[{}]\s*(?:plural|select)|\{[a-z]+\}/, `${lang} ${key}: every placeholder filled: ${text}`);
    }
  }
  // A message the same in English and elsewhere is a forgotten translation, except names and formats.
  const same = ['page.errorPrefix', 'form.label.article', 'letters.pageN', 'form.words'];
  for (const lang of ['de', 'fr', 'es']) {
    const left = keys.filter((k) => !same.includes(k) && BUILT_IN[lang]![k] === BUILT_IN.en![k]);
    assert.deepEqual(left, [], `${lang}: left in English`);
  }
});

test('plural forms follow the language', () => {
  assert.equal(translator('en').t('form.words', { count: 1, limit: 250 }), '1 word of 250');
  assert.equal(translator('de').t('form.words', { count: 1, limit: 250 }), '1 Wort von 250');
  assert.equal(translator('fr').t('form.words', { count: 0, limit: 250 }), '0 mot sur 250');
  assert.equal(translator('es').t('form.words', { count: 2, limit: 250 }), '2 palabras de 250');
});

test('HTML messages escape values and text; only their own emphasis is markup', () => {
  const h = translator('en', { en: { 'thanks.acknowledged': 'Sent to <b>{email}</b> & more <i>' } }).h('thanks.acknowledged', { email: '<script>x</script>' });
  assert.equal(h.value.includes('<script>'), false);
  assert.match(h.value, /<strong>&lt;script&gt;x&lt;\/script&gt;<\/strong>/);
});

test('Accept-Language: by quality, then order; regional tags served by their language; nothing that fits gives null', () => {
  const all = ['en', 'de', 'fr', 'es'];
  assert.equal(negotiate('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5', all), 'fr');
  assert.equal(negotiate('en;q=0.5, de', all), 'de');
  assert.equal(negotiate('es-419,es;q=0.9', all), 'es');
  assert.equal(negotiate('pt-BR, ja;q=0.8', all), null);
  assert.equal(negotiate('de;q=0, fr;q=0.1', all), 'fr');
  assert.equal(negotiate('', all), null);
  assert.equal(negotiate('it', [...all, 'it']), 'it');
});

test('a publication’s messages are checked before they are kept', () => {
  assert.deepEqual(checkExtensions({ de: { 'form.send': 'Abschicken' } }), []);
  assert.equal(checkExtensions({ de: { 'form.send': 'Ab {schicken' } }).length, 1);
  assert.equal(checkExtensions({ de: { 'no.such.key': 'x' } }).length, 1);
  assert.equal(checkExtensions({ 'not a tag!': { 'form.send': 'x' } }).length, 1);
  // A language of the publication's own: its messages, English for the rest.
  const it = translator('it', { it: { 'form.send': 'Invia la lettera' } });
  assert.equal(it.lang, 'it');
  assert.equal(it.t('form.send'), 'Invia la lettera');
  assert.equal(it.t('thanks.yourLetter'), 'Your letter');
});

test('a refused form says when to send again in the reader’s words', async () => {
  const { whenInWords: words } = await import('../../src/i18n/when.ts');
  // Numbers and units are joined by the language's own (no-break) space.
  const whenInWords = (lang: string, s: number) => words(lang, s).replace(/\s/g, ' ');
  assert.equal(whenInWords('en', 2400), 'in about 40 minutes');
  assert.equal(whenInWords('de', 2400), 'in etwa 40 Minuten');
  assert.equal(whenInWords('fr', 3600), 'dans environ 1 heure');
  assert.equal(whenInWords('es', 30), 'en aproximadamente 30 segundos');
  assert.equal(whenInWords('de-AT', 3), 'in ein paar Sekunden');
  const t = translator('fr');
  assert.match(t.t('error.busy', { when: whenInWords('fr', 7) }), /merci de la renvoyer dans environ 7 secondes/);
});
