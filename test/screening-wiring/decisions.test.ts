// Editors' decisions and the publication's rules: spam / not_spam teach the
// model (and a reversed decision is taken back), the unmatched tray offers
// candidates and assign_article moves a letter out of it with the correction
// in its history, policy flags appear (word limit, a writer who wrote
// recently from a +tag variant of their address).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson } from '../support/app.ts';
import { act, articles, runBackground, letter, mail, receive, suiteDesk } from './support.ts';

const TOPICS = ['gutters', 'roof tiles', 'chimneys', 'skylights', 'fascias', 'flat roofs', 'loft hatches', 'downpipes', 'soffits', 'slate repairs', 'lead flashing', 'dormers'];
const ad = (i: number) =>
  `Hello there, our family roofing company in Eastbank repairs ${TOPICS[i % TOPICS.length]} and roofs of every size. ` +
  `Call our team today for a visit from a roofer, same week appointments, fully insured installers, honest quotes for homeowners and landlords. Reference ${i * 7919}.`;
const GENUINE = [
  'The tram delay is a scandal: the line was promised for 2011 and now slips again to 2013 while buses crawl along Eastbank Road.',
  'Thank you for the report on the museum maps. My grandfather drew harbour charts and I would love to see them shown properly.',
  'Small schools lose out under the funding formula every year; our village school has cut a teacher and merged two classes.',
  'The data broker bill is welcome, but it needs a real right to deletion and penalties that hurt, or brokers will ignore it.',
  'Counting the days to the drawdown in Helmand says nothing about what happens to the interpreters who helped our troops.',
  'Pakistan is an ally that shelters our enemies; the article was right to ask what the aid money actually buys.',
  'The peace council cannot succeed while the people it should reconcile are not at the table; opening its doors is a start.',
  'Every council meeting about the tram ends with another consultant report and no track laid. Residents deserve better.',
  'My daughter and I visited the harbour museum last week; the staff were wonderful and the old maps were a revelation.',
  'Rural schools keep communities alive. A formula that counts only pupils ignores the cost of keeping a building open.',
  'The drawdown arithmetic is cold comfort for the families of soldiers still deployed; we need an honest plan.',
  'Aid to Islamabad should be tied to results we can measure, not to promises renewed every year in the same words.',
];

/** A few days after the article appeared (the corpus articles are old; recency counts from when the writer wrote). */
function writtenAfter(articleId: string): Date {
  const a = articles().find((x) => x.id === articleId)!;
  return new Date(new Date(String(a.publishedAt)).getTime() + 3 * 86_400_000);
}

forEachDialect('editors decisions and policy', (dialect) => {
  const s = suiteDesk(dialect);

  async function arrive(from: string, subject: string, body: string, date?: Date): Promise<any> {
    const r = await receive(s.app, mail(from, subject, body, { date }));
    assert.ok(r.letterId, r.reason);
    await runBackground(s.app);
    return letter(s.app, r.letterId);
  }

  test('spam and not_spam teach the model; taking a decision back unlearns it', async () => {
    const before = await arrive('Roof Pro <sales0@roofs.example.net>', 'Roofing', ad(100));
    const ads: string[] = [];
    for (let i = 0; i < 12; i++) ads.push((await arrive(`Roof Pro <sales${i + 1}@roofs.example.net>`, 'Roofing', ad(i))).id);
    const genuine: string[] = [];
    for (let i = 0; i < GENUINE.length; i++) genuine.push((await arrive(`Reader ${i} <reader${i}@example.org>`, 'Letter', GENUINE[i]!)).id);
    for (const id of ads) assert.equal((await act(s.app, id, { action: 'spam' })).status, 200);
    for (const id of genuine) assert.equal((await act(s.app, id, { action: 'shortlist' })).status, 200);

    const trained = await arrive('Roof Pro <sales50@roofs.example.net>', 'Roofing', ad(101));
    console.log(`[${dialect}] similar ad: ${before.screening.spamScore} before the decisions, ${trained.screening.spamScore} after`);
    assert.ok(trained.screening.spamScore > before.screening.spamScore, `${trained.screening.spamScore} vs ${before.screening.spamScore}`);
    assert.ok(trained.screening.spamReasons.some((r: string) => r.startsWith('learned')));
    const fresh = await arrive('Reader X <readerx@example.org>', 'Letter', 'The tram line consultation ignored the people who ride the buses every day; please report on it again.');
    assert.ok(fresh.screening.spamScore < 0.5, `genuine letter after training: ${fresh.screening.spamScore}`);

    // The editors change their minds: the ads were genuine after all.
    for (const id of ads) assert.equal((await act(s.app, id, { action: 'not_spam' })).status, 200);
    const reversed = await arrive('Roof Pro <sales51@roofs.example.net>', 'Roofing', ad(102));
    console.log(`[${dialect}] similar ad after not_spam: ${reversed.screening.spamScore}`);
    assert.ok(reversed.screening.spamScore < trained.screening.spamScore);
  });

  test('the unmatched tray offers candidates; assign_article moves the letter out with the correction recorded', async () => {
    const policies = s.app.ctx.publication.policies;
    const saved = policies.matchThreshold;
    policies.matchThreshold = 0.95; // a letter with only loose evidence stays unmatched
    try {
      const l = await arrive('Ivy Stone <ivy@example.org>', 'Small schools', 'Our village has lost its teacher and the children now take a bus for an hour. Nobody in the capital counts what that costs.', writtenAfter('a-school-formula'));
      assert.equal(l.article.id, null);
      assert.ok(l.article.candidates.length > 0);
      assert.equal(l.article.candidates[0].articleId, 'a-school-formula');
      const viewer = await s.app.token('viewer');
      const tray = await getJson(`${s.app.url}/api/v1/letters?article=none&limit=200`, viewer);
      const inTray = tray.json.items.find((x: any) => x.id === l.id);
      assert.ok(inTray, 'the letter waits in the unmatched tray');
      assert.equal(inTray.article.candidates[0].articleId, 'a-school-formula');

      const out = await act(s.app, l.id, { action: 'assign_article', article: 'a-school-formula' });
      assert.equal(out.status, 200);
      assert.deepEqual({ id: out.json.article.id, method: out.json.article.method, confidence: out.json.article.confidence }, { id: 'a-school-formula', method: 'editor', confidence: 1 });
      assert.ok(out.json.history.some((h: any) => h.action === 'assign_article' && h.data.article === 'a-school-formula'));
      const after = await getJson(`${s.app.url}/api/v1/letters?article=none&limit=200`, viewer);
      assert.ok(!after.json.items.some((x: any) => x.id === l.id));
    } finally {
      policies.matchThreshold = saved;
    }
  });

  test('policy flags: over the word limit, and a writer who wrote recently from a +tag address', async () => {
    const long = await arrive('Jo Reader <jo.reader@example.org>', 'The tram', `${'The tram line matters to everyone who lives in Eastbank and works across the river. '.repeat(20)}`);
    assert.ok(long.screening.flags.includes('over_word_limit'), JSON.stringify(long.screening.flags));
    assert.ok(!long.screening.flags.includes('wrote_recently'));
    const again = await arrive('Jo Reader <Jo.Reader+letters@example.org>', 'Museum maps', 'A short note: the museum maps story was a joy to read.');
    assert.ok(again.screening.flags.includes('wrote_recently'), JSON.stringify(again.screening.flags));
    assert.ok(!again.screening.flags.includes('over_word_limit'));
  });
});
