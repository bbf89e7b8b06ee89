// Quality on the labelled corpus (test/fixtures/insights): themes against
// the labels (adjusted Rand index) beside a plain TF-IDF + k-means baseline,
// stance accuracy on its own, and both after an editor has taught two
// letters per line of argument (measured on the remaining letters).
// Printed, and asserted so that a regression fails. The held-back set,
// written after the method was frozen, is measured and printed separately.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadInsightArticles, loadInsightLetters } from './corpus.ts';
import { mean, measureArticle, table, type ArticleFigures } from './measure.ts';

const articles = loadInsightArticles();

function measureFile(file: 'letters.jsonl' | 'heldback.jsonl'): ArticleFigures[] {
  const out: ArticleFigures[] = [];
  for (const [id, letters] of loadInsightLetters(file)) out.push(measureArticle(articles.get(id)!, letters));
  return out;
}

test('tuning corpus: themes, stance, and both once taught', () => {
  const rows = measureFile('letters.jsonl');
  console.log(`\nInsights on the tuning corpus (${rows.reduce((s, r) => s + r.letters, 0)} letters)\n${table(rows)}\n`);
  assert.equal(rows.length, 2);
  // Aims met on the corpus, asserted as aims.
  assert.ok(mean(rows.map((r) => r.ari)) >= 0.35, 'mean ARI of themes vs labels >= 0.35');
  assert.ok(mean(rows.map((r) => r.stanceAlone)) >= 0.6, 'stance on its own >= 60%');
  for (const r of rows) {
    assert.ok(r.ari >= r.baselineAri + 0.05, `${r.article}: themes clear of the TF-IDF + k-means baseline`);
    assert.ok(r.stanceAlone >= r.majorityStance, `${r.article}: stance no worse than always answering the commonest stance`);
  }
  const tram = rows.find((r) => r.article === 'a-riverside-tram')!;
  assert.ok(tram.ari >= 0.55, 'tram letters: ARI >= 0.55');
  assert.ok(tram.taughtThemeAccuracy >= 0.7, 'tram letters: >= 70% under the right theme once taught');
  // Aims not reached on the Pakistan letters (lexically the hardest: even
  // supervised 5-nearest-neighbours gets about half right). These floors
  // only guard against regression; the report gives the shortfall.
  const isi = rows.find((r) => r.article === 'seed-isi-taliban')!;
  assert.ok(isi.ari >= 0.12, 'Pakistan letters: ARI regression floor');
  assert.ok(isi.taughtThemeAccuracy >= 0.42, 'Pakistan letters: taught-theme regression floor');
  assert.ok(mean(rows.map((r) => r.taughtThemeAccuracy)) >= 0.6, 'taught themes: regression floor (aim 0.70)');
  assert.ok(mean(rows.map((r) => r.taughtStanceAccuracy)) >= 0.62, 'taught stance: regression floor (aim 0.70)');
});

test('theme figures across k-means seeds (the default seed is 1)', () => {
  // Themes depend a little on the clustering's seeded starts; the spread says how much.
  for (const [id, letters] of loadInsightLetters('letters.jsonl')) {
    const aris: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) aris.push(measureArticle(articles.get(id)!, letters, { seed, themesOnly: true }).ari);
    console.log(`${id}: ARI over seeds 1-5: ${aris.map((a) => a.toFixed(2)).join(' ')} (mean ${mean(aris).toFixed(2)})`);
    assert.ok(mean(aris) >= (id === 'a-riverside-tram' ? 0.55 : 0.12));
  }
});

test('held-back set (written after the method was frozen; never tuned on)', (t) => {
  const rows = measureFile('heldback.jsonl');
  if (!rows.length) {
    t.skip('no held-back set');
    return;
  }
  console.log(`\nInsights on the HELD-BACK set (${rows.reduce((s, r) => s + r.letters, 0)} letters)\n${table(rows)}\n`);
  // Reported, not asserted against the aims: asserting would invite tuning on it.
  for (const r of rows) assert.ok(Number.isFinite(r.ari) && r.themesFound >= 1, `${r.article}: grouped`);
});
