import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SPAM_THRESHOLD, SpamModel, scoreSpam } from '../../src/screening/spam.ts';
import { loadMails } from './corpus.ts';

test('corpus: spam above, genuine letters below the default threshold (rules alone)', async () => {
  const mails = (await loadMails()).filter((m) => m.label.kind === 'letter' || m.label.kind === 'spam');
  const wrong: string[] = [];
  for (const m of mails) {
    const v = scoreSpam({ subject: m.subject, text: m.body, html: m.html, from: m.from, replyTo: m.replyTo, ownAddresses: ['letters@review.example.com'] });
    const spam = v.score >= DEFAULT_SPAM_THRESHOLD;
    if (spam !== (m.label.kind === 'spam')) wrong.push(`${m.file} ${v.score} ${v.reasons.join('; ')}`);
    if (m.label.kind === 'spam') console.log(`${m.file} spam score ${v.score}: ${v.reasons.slice(0, 4).join('; ')}`);
  }
  assert.deepEqual(wrong, []);
});

test('sender authentication and proof-of-work move the score', () => {
  const base = { text: 'I enjoyed the article about the harbor museum and its lost maps. More of this, please.' };
  const plain = scoreSpam(base).score;
  assert.ok(scoreSpam({ ...base, auth: { spf: 'fail', dmarc: 'fail' } }).score > plain);
  assert.ok(scoreSpam({ ...base, auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } }).score < plain);
  assert.ok(scoreSpam({ ...base, pow: 'failed' }).score >= DEFAULT_SPAM_THRESHOLD);
  assert.ok(scoreSpam({ ...base, pow: 'verified' }).score < plain);
  const mismatch = scoreSpam({ ...base, from: 'a@example.com', replyTo: 'b@elsewhere.example.net' });
  assert.ok(mismatch.reasons.some((r) => r.includes('Reply-To')));
  const short = scoreSpam({ text: 'Look: https://bit.ly/3xYz' });
  assert.ok(short.reasons.includes('link shortener'));
  const caps = scoreSpam({ text: 'THIS NEWSPAPER IS A DISGRACE AND EVERY WRITER SHOULD BE ASHAMED OF WHAT THEY PRINTED TODAY ABOUT OUR TOWN AND ITS PEOPLE' });
  assert.ok(caps.reasons.includes('mostly capital letters'));
});

test('the learner moves the score after editors decide, and serialises', () => {
  const model = new SpamModel();
  const pitch = 'Our agency offers premium guest articles and sponsored placements for your readers at attractive rates';
  const before = scoreSpam({ text: pitch }, model).score;
  for (let i = 0; i < 12; i++) {
    model.learn(`Premium sponsored placements and guest articles, attractive rates, agency offer number ${i}`, true);
    model.learn(`The council vote on the school budget worried me; our small school lost a teacher this year, letter ${i}`, false);
  }
  const after = scoreSpam({ text: pitch }, model).score;
  console.log(`learned: score ${before} -> ${after}`);
  assert.ok(after > before + 0.2);
  const genuine = scoreSpam({ text: 'Our small school lost a teacher after the budget vote by the council.' }, model).score;
  assert.ok(genuine < before);
  const copy = SpamModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.equal(scoreSpam({ text: pitch }, copy).score, after);
  copy.unlearn('Premium sponsored placements and guest articles, attractive rates, agency offer number 0', true);
  assert.ok(scoreSpam({ text: pitch }, copy).score <= after);
});
