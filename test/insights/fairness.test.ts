// The fairness helper: received voices against the published selection,
// as figures and plain sentences.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFairness, type FairnessLetter } from '../../src/insights/index.ts';

test('published 4 of 5 agree; received 31% agree', () => {
  const received: FairnessLetter[] = [];
  // 13 voices: 4 agree, 6 disagree, 3 mixed; plus a 10-letter campaign that agrees (one voice).
  const stances = ['agree', 'agree', 'agree', 'disagree', 'disagree', 'disagree', 'disagree', 'disagree', 'disagree', 'mixed', 'mixed', 'mixed'] as const;
  stances.forEach((s, i) => received.push({ id: `l${i}`, stance: s, themeId: i < 6 ? 't1' : 't2' }));
  for (let i = 0; i < 10; i++) received.push({ id: `c${i}`, stance: 'agree', themeId: 't1', campaignId: 'camp' });
  const r = compareFairness({ received, publishedIds: ['l0', 'l1', 'l2', 'c0', 'l9'], themeLabels: { t1: 'Cut the aid', t2: 'Pakistan fears India' } });
  assert.equal(r.receivedVoices, 13);
  assert.equal(r.published, 5);
  const agree = r.stance.find((s) => s.key === 'agree')!;
  assert.equal(agree.published, 4);
  assert.equal(agree.receivedShare, 0.308);
  assert.equal(r.sentences[0], 'Published: 4 of 5 agree; received: 31% agree.');
  assert.ok(r.sentences.some((s) => s.includes('"Cut the aid"')));
  assert.equal(r.largestGap, 49);
  console.log(r.sentences.join('\n'));
});

test('nothing published, nothing received', () => {
  assert.deepEqual(compareFairness({ received: [], publishedIds: [] }).sentences, ['No letters received yet.']);
  const r = compareFairness({ received: [{ id: 'a', stance: 'agree' }], publishedIds: [] });
  assert.equal(r.sentences[0], 'Nothing published yet from 1 voice received.');
  assert.equal(r.largestGap, 0);
});
