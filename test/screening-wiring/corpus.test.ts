// The fixture corpus through the real email intake and the screening job,
// checked through the API: the article of every labelled letter, campaign
// clusters against the labelled campaigns (pairwise precision and recall),
// spam above and genuine letters below the threshold.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, type TestApp } from '../support/app.ts';
import { DEFAULT_SPAM_THRESHOLD } from '../../src/screening/spam.ts';
import { runBackground, importArticles, labels, letter, MAIL_DIR, receive, startDesk } from './support.ts';

forEachDialect('screening the corpus', (dialect) => {
  let app: TestApp;
  const letterOf = new Map<string, string>();
  const spamScoreAtReceipt = new Map<string, number | null>();

  before(async () => {
    app = await startDesk(dialect);
    await importArticles(app);
    for (const l of labels()) {
      if (l.kind !== 'letter' && l.kind !== 'spam') continue;
      const r = await receive(app, fs.readFileSync(MAIL_DIR + l.file));
      if (r.letterId) letterOf.set(l.file, r.letterId);
      if (l.kind === 'spam') spamScoreAtReceipt.set(l.file, r.kind === 'spam' ? 1 : null);
    }
    await runBackground(app);
  });
  after(() => app.close());

  test('every labelled letter is matched to its article', async () => {
    const wrong: string[] = [];
    for (const l of labels().filter((x) => x.kind === 'letter')) {
      const id = letterOf.get(l.file);
      assert.ok(id, `${l.file}: no letter`);
      const j = await letter(app, id);
      if (l.article && j.article.id !== l.article) wrong.push(`${l.file}: ${j.article.id} (${j.article.method} ${j.article.confidence}), expected ${l.article}; candidates ${JSON.stringify(j.article.candidates)}`);
      // Found by screening's evidence, never taken from the form or an editor.
      if (j.article.id) assert.ok(['url', 'headline', 'names', 'quote', 'description', 'similarity'].includes(j.article.method) && j.article.confidence > 0, `${l.file}: ${JSON.stringify(j.article)}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('campaign clusters equal the labelled campaigns', async () => {
    const viewer = await app.token('viewer');
    const letters = labels().filter((x) => x.kind === 'letter');
    const campaignOf = new Map<string, string | null>();
    for (const l of letters) campaignOf.set(l.file, (await letter(app, letterOf.get(l.file)!)).screening.campaign);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < letters.length; i++)
      for (let k = i + 1; k < letters.length; k++) {
        const a = letters[i]!;
        const b = letters[k]!;
        const truth = a.campaign !== null && a.campaign === b.campaign;
        const ca = campaignOf.get(a.file);
        const said = ca != null && ca === campaignOf.get(b.file);
        if (truth && said) tp++;
        else if (said) fp++;
        else if (truth) fn++;
      }
    const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
    console.log(`[${dialect}] campaign pairs: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (${tp} true pairs found, ${fp} false, ${fn} missed)`);
    assert.equal(precision, 1);
    assert.equal(recall, 1);

    // The campaigns API and the letters filter agree with the letters.
    const list = await getJson(`${app.url}/api/v1/campaigns`, viewer);
    assert.equal(list.status, 200);
    const labelled = new Set(letters.map((l) => l.campaign).filter(Boolean));
    assert.equal(list.json.items.length, labelled.size);
    for (const c of list.json.items) {
      assert.ok(c.size >= 2 && c.sharedText.length > 0 && c.firstSeen <= c.lastSeen, JSON.stringify(c));
      const members = await getJson(`${app.url}/api/v1/letters?campaign=${c.id}&limit=200`, viewer);
      assert.deepEqual(members.json.items.map((x: any) => x.id).sort(), [...c.members].sort());
      const one = await getJson(`${app.url}/api/v1/campaigns/${c.id}`, viewer);
      assert.equal(one.json.size, c.size);
    }
  });

  test('spam scores above the threshold, genuine letters below', async () => {
    for (const l of labels()) {
      if (l.kind === 'spam') {
        // Spam is recognised at receipt and kept in the system tray, never a letter.
        assert.equal(spamScoreAtReceipt.get(l.file), 1, `${l.file}: not recognised as spam`);
        assert.ok(!letterOf.has(l.file));
      }
      if (l.kind === 'letter') {
        const j = await letter(app, letterOf.get(l.file)!);
        assert.ok(j.screening.spamScore !== null && j.screening.spamScore < DEFAULT_SPAM_THRESHOLD, `${l.file}: ${j.screening.spamScore} ${j.screening.spamReasons}`);
      }
    }
  });

  test('article insights: letters over time, by status, campaign share', async () => {
    const viewer = await app.token('viewer');
    const labelled = labels().filter((l) => l.kind === 'letter' && l.article === 'a-riverside-tram');
    const r = await getJson(`${app.url}/api/v1/articles/a-riverside-tram/insights`, viewer);
    assert.equal(r.status, 200);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    assert.ok(r.json.letters >= labelled.length);
    assert.equal(sum(r.json.perDay.map((d: any) => d.letters)), r.json.letters);
    assert.equal(sum(Object.values(r.json.byStatus) as number[]), r.json.letters);
    const inCampaign = labelled.filter((l) => l.campaign).length;
    if (inCampaign) assert.ok(r.json.campaignShare > 0 && r.json.topCampaigns.length > 0, JSON.stringify(r.json));
    assert.equal((await getJson(`${app.url}/api/v1/articles/no-such-article/insights`, viewer)).status, 404);
  });
});
