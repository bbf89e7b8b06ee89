// Article matching on every labelled letter (issue 16): precision and coverage
// of automatic matching at the default threshold, on the letters it was tuned
// on and, separately, on the held-back ones. No letter may be matched to the
// wrong article automatically; letters about no article stay unmatched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArticleIndex } from '../../src/matching/article-index.ts';
import { DEFAULT_MATCH_THRESHOLD, matchArticle } from '../../src/matching/match.ts';
import { isHeldBack, labelledLetters, matchingArticles, type LabelledLetter } from './labelled.ts';

const index = new ArticleIndex(matchingArticles());
const letters = await labelledLetters();

function measure(list: LabelledLetter[]) {
  let matchable = 0;
  let right = 0;
  let auto = 0;
  const wrong: string[] = [];
  const missed: string[] = [];
  for (const l of list) {
    const r = matchArticle(index, { subject: l.subject, body: l.body, receivedAt: l.date });
    if (l.article) matchable++;
    if (r.articleId) auto++;
    if (r.articleId && r.articleId === l.article) right++;
    else if (r.articleId) wrong.push(`${l.id}: matched ${r.articleId} (${r.method} ${r.confidence}), label ${l.article}`);
    else if (l.article) missed.push(`${l.id}: unmatched (best ${r.candidates[0]?.articleId} ${r.candidates[0]?.confidence})`);
  }
  return { n: list.length, matchable, right, auto, wrong, missed, precision: auto ? right / auto : 1, coverage: matchable ? right / matchable : 1 };
}

function report(name: string, m: ReturnType<typeof measure>): string {
  return `${name}: ${m.n} letters, ${m.matchable} about an article; automatic matches ${m.auto}, right ${m.right}: precision ${m.precision.toFixed(3)}, coverage ${m.coverage.toFixed(3)}` +
    (m.wrong.length ? `\n  wrong: ${m.wrong.join('\n  wrong: ')}` : '') + (m.missed.length ? `\n  missed: ${m.missed.join('\n  missed: ')}` : '');
}

test('labelled letters the matcher was tuned on: no wrong automatic match, 94% of matchable letters matched', (t) => {
  const m = measure(letters.filter((l) => !isHeldBack(l)));
  const line = report(`matching (tuned, threshold ${DEFAULT_MATCH_THRESHOLD})`, m);
  console.log(line);
  t.diagnostic(line.split('\n')[0]!);
  assert.deepEqual(m.wrong, []);
  assert.ok(m.coverage >= 0.94, line);
});

test('held-back letters: no wrong automatic match, 90% matched', (t) => {
  const m = measure(letters.filter(isHeldBack));
  const line = report('matching (held back)', m);
  console.log(line);
  t.diagnostic(line.split('\n')[0]!);
  assert.deepEqual(m.wrong, []);
  assert.ok(m.coverage >= 0.9, line);
});

for (const [group, what] of [['short', 'short replies that name the article\'s people and places match'], ['foreign', 'letters in German, French and Spanish match'], ['none', 'letters about no article stay unmatched']] as const) {
  test(what, () => {
    for (const l of letters.filter((x) => x.group === group)) {
      const r = matchArticle(index, { subject: l.subject, body: l.body, receivedAt: l.date });
      assert.equal(r.articleId, l.article, `${l.id} (${l.set}): ${r.method} ${r.confidence} ${JSON.stringify(r.candidates[0])}`);
    }
  });
}

test('confidence needs a margin: a letter naming two articles\' people equally stays unmatched, both offered', () => {
  const r = matchArticle(index, {
    subject: 'Two people',
    body: 'Ellie Marsh and Marcus Hale should have lunch together.',
    receivedAt: '2010-10-28',
  });
  assert.equal(r.articleId, null, JSON.stringify(r.candidates.slice(0, 2)));
  assert.deepEqual(new Set(r.candidates.slice(0, 2).map((c) => c.articleId)), new Set(['a-museum-maps', 'a-riverside-tram']));
});

test('a five-word reply naming one of the article\'s people matches', () => {
  for (const [body, article] of [['Ellie Marsh should be director.', 'a-museum-maps'], ['Marcus Hale should resign.', 'a-riverside-tram'], ['Farida Noori for president!', 'a-peace-council']]) {
    const r = matchArticle(index, { subject: 'Yes', body: body!, receivedAt: '2010-10-28' });
    assert.equal(r.articleId, article, `${body}: ${JSON.stringify(r.candidates[0])}`);
  }
  // A common place name alone is no evidence.
  assert.equal(matchArticle(index, { subject: 'Yes', body: 'Pakistan should resign from the commonwealth.', receivedAt: '2010-10-28' }).articleId, null);
});

test('the writer\'s own town in the sign-off is no evidence; a town in the text is', () => {
  const signOff = matchArticle(index, { subject: 'Taxes', body: 'Dear Editor,\n\nProperty taxes went up again and nobody can explain what we get for them.\n\nAnn Reader\nPort Clement', receivedAt: '2010-10-28' });
  assert.equal(signOff.articleId, null);
  const named = matchArticle(index, { subject: 'Ms Marsh', body: 'Ellie Marsh deserves the credit for the charts, not the curators.', receivedAt: '2010-10-28' });
  assert.equal(named.articleId, 'a-museum-maps');
  assert.ok(named.candidates[0]!.evidence?.some((e) => e.startsWith('names:')), JSON.stringify(named.candidates[0]));
});
