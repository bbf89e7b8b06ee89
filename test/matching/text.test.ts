import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, stem, words, wordsByRegex } from '../../src/matching/text.ts';
import { ArticleIndex } from '../../src/matching/article-index.ts';
import { terms } from '../../src/matching/text.ts';
import { Vocabulary, rng } from '../screening/synthetic.ts';

test('words: the ASCII scanner gives exactly what the Unicode regex gives', () => {
  const fixed = [
    "l'allie d'un rock'n'roll it's O'Neill's can't `quoted` x'9 a'bc9 ''a '' 12'ab ab'12",
    'The 14 bus -- and the 22 bus. E-mail: me@x.org; http://a.b/c?d=1#e',
    "Don't stop: we'll see. I'm sure they're right. Ma'am, it's 5 o'clock.",
  ];
  for (const t of fixed) assert.deepEqual(words(t), wordsByRegex(t), t);
  const r = rng(99);
  const alphabet = "abcXYZ019 '`.,;:-!?\n\t\"()";
  for (let k = 0; k < 3000; k++) {
    let t = '';
    const n = Math.floor(r() * 40);
    for (let i = 0; i < n; i++) t += alphabet[Math.floor(r() * alphabet.length)];
    assert.deepEqual(words(t), wordsByRegex(t), JSON.stringify(t));
  }
  // Non-ASCII text still takes the Unicode path.
  assert.deepEqual(words('Çà et là, l’allié — naïve'), wordsByRegex('Çà et là, l’allié — naïve'));
});

test('stem: inflection endings', () => {
  assert.equal(stem('delayed'), 'delay');
  assert.equal(stem('working'), 'work');
  assert.equal(stem('trams'), 'tram');
  assert.equal(stem('bring'), 'bring');
  assert.equal(stem('studies'), 'study');
});

test('rank: the fast top-k equals the exact BM25 ranking on a 2,000-article index', () => {
  const vocab = new Vocabulary(20000, 4);
  const r = rng(8);
  const index = new ArticleIndex();
  const bodies: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const body = Array.from({ length: 4 }, () => vocab.paragraph(r).join(' ')).join('\n\n');
    bodies.push(body);
    index.add({ id: `a${i}`, url: `https://x.example/${i}`, title: vocab.sentence(r, 4, 7), body, publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000) });
  }
  index.remove('a7');
  let same = 0;
  for (let k = 0; k < 100; k++) {
    const s = bodies[Math.floor(r() * 2000)].split(/(?<=\.)\s+/);
    const query = terms([s[1], vocab.sentence(r), s[5]].join(' '));
    const exact = index.bm25(query);
    const best = [...exact.scores].sort((a, b) => b[1] - a[1]).slice(0, 5);
    const fast = index.rank(query, { limit: 5 });
    assert.ok(Math.abs(fast.maxScore - exact.maxScore) < 1e-9);
    // The top article and its exact score and matched-term count agree.
    assert.equal(fast.ranked[0].article.id, best[0][0].id);
    assert.ok(Math.abs(fast.ranked[0].score - best[0][1]) < 1e-6);
    assert.equal(fast.ranked[0].matched, exact.matched.get(best[0][0]));
    if (fast.ranked.map((x) => x.article.id).join() === best.map((x) => x[0].id).join()) same++;
  }
  assert.ok(same >= 90, `top-5 lists equal in ${same}/100`);
});
