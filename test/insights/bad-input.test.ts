// Bad input gives a sensible result, never an error: no letters, one
// letter, one-word letters, a 5,000-word letter, all identical, all in
// another language, and junk that a careless caller might pass.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseArticle, assignToTheme, compareFairness, estimateStance, groupThemes, StanceModel, type LetterText, type ThemeSet } from '../../src/insights/index.ts';
import { loadInsightArticles, loadInsightLetters } from './corpus.ts';

const article = loadInsightArticles().get('a-riverside-tram')!;
const tram = loadInsightLetters().get('a-riverside-tram')!.map((l) => ({ id: l.id, body: l.body, campaignId: l.campaign }));

function wellFormed(set: ThemeSet, letters: LetterText[]): void {
  assert.equal(set.version, 1);
  assert.ok(['grouped', 'too-few-letters', 'no-letters'].includes(set.status));
  assert.ok(set.message.length > 0);
  const placed = [...set.themes.flatMap((t) => t.letterIds), ...set.unassigned];
  assert.equal(new Set(placed).size, new Set(letters.map((l) => l.id)).size, 'every letter placed once');
  assert.doesNotThrow(() => JSON.stringify(set));
  for (const t of set.themes) for (const r of t.representatives) assert.ok(t.letterIds.includes(r.letterId));
}

test('no letters', () => {
  const set = groupThemes({ article, letters: [] });
  assert.equal(set.status, 'no-letters');
  assert.deepEqual(set.themes, []);
  assert.deepEqual(assignToTheme(set, { id: 'x', body: 'The buses are old.' }), { themeId: null, score: 0, source: 'none' });
  const a = analyseArticle({ article, letters: [] });
  assert.equal(a.voices, 0);
  assert.deepEqual(a.stance, { agree: 0, disagree: 0, mixed: 0 });
});

test('one letter, and a handful: too few to group, said as a result', () => {
  for (const n of [1, 3, 7]) {
    const letters = tram.filter((l) => !l.campaignId).slice(0, n);
    const set = groupThemes({ article, letters });
    assert.equal(set.status, 'too-few-letters');
    assert.match(set.message, /Too few letters to group/);
    wellFormed(set, letters);
    const a = analyseArticle({ article, letters });
    assert.equal(Object.keys(a.stances).length, n);
  }
});

test('one-word letters', () => {
  const words = ['Disgraceful.', 'Agreed!', 'Buses', 'Why?', '!!!', '', '   ', 'tram', 'Scrap', 'Yes', 'No', 'Quay'];
  const letters = words.map((body, i) => ({ id: `w${i}`, body }));
  const set = groupThemes({ article, letters });
  wellFormed(set, letters);
  const mixed = [...tram, ...letters];
  const set2 = groupThemes({ article, letters: mixed });
  assert.equal(set2.status, 'grouped');
  wellFormed(set2, mixed);
  for (const l of letters) {
    const s = estimateStance(article, l);
    assert.ok(s.confidence >= 0 && s.confidence <= 1);
    assert.doesNotThrow(() => assignToTheme(set2, l));
  }
});

test('a 5,000-word letter', () => {
  const para = tram.map((l) => l.body).join(' ').split(/\s+/);
  const long = Array.from({ length: 5000 }, (_, i) => para[i % para.length]).join(' ');
  const letters = [...tram, { id: 'long', body: long }];
  const t0 = performance.now();
  const set = groupThemes({ article, letters });
  assert.ok(performance.now() - t0 < 5000);
  wellFormed(set, letters);
  const s = estimateStance(article, { id: 'long', body: long });
  assert.ok(['agree', 'disagree', 'mixed'].includes(s.stance));
  const rep = set.themes.flatMap((t) => t.representatives).find((r) => r.letterId === 'long');
  if (rep) assert.ok(rep.sentence.length <= 320);
});

test('all letters identical', () => {
  const letters = Array.from({ length: 30 }, (_, i) => ({ id: `same${i}`, body: 'Finish the tram line and give the traders on Quay Street their parking back.' }));
  const set = groupThemes({ article, letters });
  wellFormed(set, letters);
  assert.equal(set.themes.length, 1, 'identical letters hold one line');
  // The same text as one campaign: one voice, too few to group.
  const campaign = letters.map((l) => ({ ...l, campaignId: 'c1' }));
  const set2 = groupThemes({ article, letters: campaign });
  assert.equal(set2.voices, 1);
  assert.equal(set2.status, 'too-few-letters');
  wellFormed(set2, campaign);
});

test('all letters in another language, and a few among English ones', () => {
  const german = [
    'Die Straßenbahn ist schon wieder verspätet. Die Stadt muss den Lieferanten der Lager zur Verantwortung ziehen.',
    'Sicherheit geht vor: lieber später als eine ungeprüfte Brücke über den Kanal.',
    'Die Geschäfte in der Quay Street leiden seit Jahren unter der Baustelle. Die Stadt soll die Händler entschädigen.',
    'Die Busse der Linien 14 und 22 sind alt und fallen ständig aus. Kauft neue Busse!',
    'Zweihundertachtundsechzig Millionen für eine Linie: das ist Verschwendung von Steuergeld.',
    'Ein unabhängiger Beobachter für das Projekt wäre sinnvoll. Ich habe die Petition unterschrieben.',
    'Die Händler in der Quay Street brauchen ihre Parkplätze zurück, bis die Bahn fährt.',
    'Die Verkehrsbehörde hat richtig gehandelt, als sie die Lager prüfen ließ.',
    'Wieder eine Verspätung, wieder höhere Kosten: 268 Millionen statt 212.',
    'Ohne neue Busse auf der Linie 22 komme ich nicht mehr pünktlich zur Arbeit.',
  ].map((body, i) => ({ id: `de${i}`, body }));
  const set = groupThemes({ article, letters: german });
  wellFormed(set, german);
  assert.equal(set.status, 'grouped', 'German letters alone are grouped among themselves');
  const mixed = [...tram, ...german.slice(0, 3)];
  const set2 = groupThemes({ article, letters: mixed });
  wellFormed(set2, mixed);
  // A foreign letter sharing names and numbers lands under an existing theme.
  const a = assignToTheme(set2, { id: 'de-new', body: 'Die Busse 14 und 22 sind zu alt.' });
  assert.ok(a.themeId !== null);
  const a2 = assignToTheme(set2, { id: 'zh', body: '有轨电车又延误了。' });
  assert.ok(a2.themeId === null || typeof a2.themeId === 'string');
});

test('junk a careless caller might pass', () => {
  const junk = [
    { id: 'a', body: null },
    { id: 'b', body: undefined },
    { id: 'c', body: 12345 },
    { id: 'd', body: '\u0000\u0001\u0002 binary \uFFFD\uFFFD' },
    { id: 'a', body: 'duplicate id' },
    null,
    { id: 'e', body: 'x'.repeat(100_000) },
    { id: 'f', body: '<script>alert(1)</script> The tram is late.' },
  ] as unknown as LetterText[];
  const letters = [...tram, ...junk];
  assert.doesNotThrow(() => groupThemes({ article, letters }));
  const set = groupThemes({ article, letters, previous: { bogus: true } as unknown as ThemeSet, taught: { themes: { a: '', c: 'x' }, stances: { b: 'sideways' as never } } });
  assert.equal(set.status, 'grouped');
  assert.doesNotThrow(() => analyseArticle({ article: { id: 'x', title: '', body: null }, letters, stanceModel: { junk: 1 } as never }));
  assert.doesNotThrow(() => assignToTheme({} as ThemeSet, { id: 'q', body: 'tram' }));
  assert.doesNotThrow(() => estimateStance({ id: 'x', title: '' }, { id: 'q', body: undefined as never }));
  assert.doesNotThrow(() => StanceModel.fromJSON(null));
  assert.doesNotThrow(() => compareFairness({ received: [], publishedIds: ['nope'] }));
});
