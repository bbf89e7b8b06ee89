import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shingleText, splitParagraphs } from '../../src/screening/shingles.ts';
import { hash32, words } from '../../src/matching/text.ts';
import { CampaignTemplate, Vocabulary, rng, uniqueLetter } from './synthetic.ts';

/**
 * The reference definition (stored signatures depend on it, so the fast
 * version must give exactly these hashes): word 3-grams within sentences,
 * digits folded, FNV-1a of the words joined by spaces.
 */
function reference(text: string): Set<number>[] {
  return splitParagraphs(text).map((p) => {
    const set = new Set<number>();
    for (const sentence of p.split(/(?<=[.!?;:])\s+|\s+[\u2014\u2013-]{1,2}\s+/)) {
      const w = words(sentence).map((x) => (/^\d+$/.test(x) ? '0' : x));
      if (w.length === 0) continue;
      if (w.length < 3) {
        if (w.length > 1) set.add(hash32(w.join(' ')));
        continue;
      }
      for (let i = 0; i + 3 <= w.length; i++) set.add(hash32(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2]));
    }
    return set;
  });
}

test('shingles: exactly the reference hashes, per paragraph and for the whole letter', () => {
  const vocab = new Vocabulary();
  const r = rng(31);
  const t = new CampaignTemplate(vocab, r);
  const texts = [
    'The 14 bus — and the 22 bus. Ça va? l’allié d\'un ami: 1999 2000 x.\n\nShort. Two words. Three words here; and more.',
    'One line only',
    '',
  ];
  for (let i = 0; i < 300; i++) texts.push(i % 2 ? uniqueLetter(vocab, r) : t.letter([0, 1, 2, 3].map(() => Math.floor(r() * 5)), vocab, r));
  for (const text of texts) {
    const got = shingleText(text);
    const want = reference(text);
    assert.equal(got.paragraphs.length, want.length);
    const all = new Set<number>();
    got.paragraphs.forEach((p, i) => {
      assert.deepEqual([...p.shingles].sort(), [...want[i]].sort());
      for (const h of want[i]) all.add(h);
    });
    assert.deepEqual([...got.all].sort(), [...all].sort());
  }
});
