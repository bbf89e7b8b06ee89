// Stance: the cue model's mechanics (negation scope, sarcasm, concession,
// quotation of the article) and the editors' classifier (learning,
// unlearning, plain-data round trip, taught stances fixed).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseArticle, estimateStance, StanceModel, type ArticleText } from '../../src/insights/index.ts';
import { loadInsightArticles, loadInsightLetters } from './corpus.ts';

const article: ArticleText = {
  id: 'a1',
  title: 'The city should build the new bridge now',
  body: 'The council has delayed the bridge for years. "The bridge will pay for itself within a decade," the mayor said. Building it now is the only sensible choice.',
};
const stanceOf = (body: string) => estimateStance(article, { id: 'x', body }).stance;

test('cues, negation and concession', () => {
  assert.equal(stanceOf('Spot on. The bridge is long overdue.'), 'agree');
  assert.equal(stanceOf('Your writer is simply wrong. The bridge is a waste of money.'), 'disagree');
  assert.equal(stanceOf('I do not agree with your editorial at all.'), 'disagree');
  assert.equal(stanceOf("Your editorial isn't wrong about the delays."), 'agree');
  assert.equal(stanceOf('You are right about the delays, but wrong about the cost.'), 'mixed');
  assert.equal(stanceOf('You are right about the delays, but wrong about the cost, and the article ignores the river traffic.'), 'disagree');
});

test('sarcasm cancels literal praise; mocking the article\'s own words is disagreement', () => {
  const plain = estimateStance(article, { id: 'x', body: 'Brilliant. Thank you for this article.' });
  const sarcastic = estimateStance(article, { id: 'x', body: 'Oh yes, brilliant, thank you for this article.' });
  assert.ok(sarcastic.scores.agree < plain.scores.agree);
  assert.equal(stanceOf('How reassuring to hear that "the bridge will pay for itself within a decade". Brilliant.'), 'disagree');
});

test('every estimate is a distribution with a confidence in [0, 1] and its reasons', () => {
  for (const body of ['', 'Yes.', 'I agree, but also I disagree.', 'Das ist falsch.', 'Tiene razón.']) {
    const e = estimateStance(article, { id: 'x', body });
    assert.ok(e.confidence >= 0 && e.confidence <= 1);
    assert.ok(Math.abs(e.scores.agree + e.scores.disagree + e.scores.mixed - 1) < 0.01);
    assert.ok(Array.isArray(e.reasons));
  }
  assert.equal(stanceOf('Das ist falsch und naiv.'), 'disagree');
  assert.equal(stanceOf('Tiene razón el artículo.'), 'agree');
});

test('the editors\' classifier learns, unlearns, and round-trips as plain data', () => {
  const m = new StanceModel();
  assert.equal(m.logits('anything'), null, 'silent until it has seen two stances');
  for (let i = 0; i < 8; i++) {
    m.learn(`The tunnel option is cheaper and quieter, letter ${i}.`, 'disagree');
    m.learn(`Build the bridge now, the crossing is overdue, letter ${i}.`, 'agree');
  }
  const text = 'A tunnel would be cheaper and quieter.';
  assert.ok(m.logits(text)!.disagree > m.logits(text)!.agree);
  const copy = StanceModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
  assert.deepEqual(copy.logits(text), m.logits(text));
  for (let i = 0; i < 8; i++) m.unlearn(`The tunnel option is cheaper and quieter, letter ${i}.`, 'disagree');
  assert.equal(m.logits(text), null, 'unlearning takes the decisions back');
  assert.equal(m.size, 8);
});

test('taught stances are fixed, and teaching moves the rest', () => {
  const art = loadInsightArticles().get('seed-isi-taliban')!;
  const letters = loadInsightLetters().get('seed-isi-taliban')!;
  const input = letters.map((l) => ({ id: l.id, body: l.body, campaignId: l.campaign }));
  const stances: Record<string, 'agree' | 'disagree' | 'mixed'> = {};
  const model = new StanceModel();
  for (const l of letters.slice(0, 12)) {
    stances[l.id] = l.stance === 'agree' ? 'disagree' : 'agree'; // deliberately against the text
    model.learn(l.body, l.stance);
  }
  const res = analyseArticle({ article: art, letters: input, taught: { stances }, stanceModel: model });
  for (const [id, s] of Object.entries(stances)) assert.deepEqual(res.stances[id], { stance: s, confidence: 1, source: 'taught' });
  const total = res.stance.agree + res.stance.disagree + res.stance.mixed;
  assert.equal(total, res.voices, 'stance totals count voices');
});
