import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicy, countWords, normaliseEmail } from '../../src/screening/policy.ts';

test('email variants normalise to one writer key', () => {
  const key = normaliseEmail('jane.doe@gmail.com');
  for (const v of ['Jane.Doe@Gmail.com', 'janedoe@gmail.com', 'jane.doe+letters@googlemail.com', 'J.A.N.E.D.O.E+x@GMAIL.COM', ' Jane Doe <jane.doe@gmail.com> ']) {
    assert.equal(normaliseEmail(v), key, v);
  }
  assert.equal(normaliseEmail('Bob.Smith+news@Example.org'), 'bob.smith@example.org');
  assert.notEqual(normaliseEmail('bob.smith@example.org'), normaliseEmail('bobsmith@example.org'), 'dots matter elsewhere');
  assert.notEqual(normaliseEmail('mary-jane@yahoo.com'), normaliseEmail('mary@yahoo.com'));
});

test('each policy flag', () => {
  const settings = { wordLimit: 10, articleAgeDays: 14, oneLetterPerDays: 30, requireExclusive: true };
  const ok = checkPolicy(settings, {
    body: 'Short and sweet letter.',
    receivedAt: '2024-03-20',
    articlePublishedAt: '2024-03-15',
    previousLetterDates: ['2024-01-01'],
    exclusive: true,
  });
  assert.deepEqual(ok.flags, []);
  const bad = checkPolicy(settings, {
    body: 'This letter has rather more than ten words in it, which is over the limit.',
    receivedAt: '2024-03-20',
    articlePublishedAt: '2024-02-01',
    previousLetterDates: ['2024-01-01', '2024-03-10'],
    exclusive: false,
  });
  assert.deepEqual(bad.flags, ['over_word_limit', 'article_too_old', 'wrote_recently', 'not_exclusive']);
  assert.match(bad.details.wrote_recently!, /10 days ago/);
  assert.deepEqual(checkPolicy({}, { body: 'x '.repeat(5000), receivedAt: 0 }).flags, [], 'no settings, no flags');
  assert.equal(countWords("Well-known writers don't count twice."), 5);
});
