import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignIndex, MemoryCampaignStore } from '../../src/screening/campaigns.ts';
import { loadMails } from './corpus.ts';
import { CampaignTemplate, Vocabulary, rng, uniqueLetter } from './synthetic.ts';

/** Pairwise precision/recall of predicted clusters against labelled ones. */
function pairwise(items: { id: string; truth: string | null; predicted: string | null }[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      const same = a.truth !== null && a.truth === b.truth;
      const linked = a.predicted !== null && a.predicted === b.predicted;
      if (same && linked) tp++;
      else if (linked) fp++;
      else if (same) fn++;
    }
  }
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1, tp, fp, fn };
}

test('corpus: campaign clusters equal the labelled campaigns', async () => {
  const mails = (await loadMails()).filter((m) => m.label.kind === 'letter' || m.label.kind === 'spam');
  mails.sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0));
  const index = new CampaignIndex();
  for (const m of mails) index.add(m.file, m.body, m.date ?? 0);
  const items = mails.map((m) => ({ id: m.file, truth: m.label.campaign, predicted: index.campaignOf(m.file) }));
  const { precision, recall, tp } = pairwise(items);
  console.log(`campaign pairwise precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (${tp} true pairs)`);
  assert.equal(precision, 1);
  assert.equal(recall, 1);
  const [campaign] = index.campaigns();
  assert.ok(campaign.sharedText.length >= 1, 'a campaign shows its shared text');
  assert.ok(campaign.firstSeen <= campaign.lastSeen);
});

test('a campaign is recognised from its second letter on', () => {
  const vocab = new Vocabulary();
  const r = rng(11);
  const t = new CampaignTemplate(vocab, r);
  const index = new CampaignIndex();
  const first = index.add('l1', t.letter([0, 0, 0, 0], vocab, r), 1000);
  assert.equal(first.campaignId, null);
  index.add('other', uniqueLetter(vocab, r), 1500);
  const second = index.add('l2', t.letter([0, 0, 0, 0], vocab, r), 2000);
  assert.equal(second.campaignId, 'l1');
  assert.equal(second.similarTo[0].letterId, 'l1');
  assert.equal(index.campaignOf('other'), null);
  const c = index.campaign('l1')!;
  assert.deepEqual(c.members, ['l1', 'l2']);
  assert.equal(c.firstSeen.getTime(), 1000);
  assert.equal(c.lastSeen.getTime(), 2000);
});

test('4 x 5 paragraph generator: all 625 letters form one campaign, unrelated letters stay out', () => {
  const vocab = new Vocabulary();
  const r = rng(42);
  const t = new CampaignTemplate(vocab, r, 4, 5);
  const index = new CampaignIndex();
  const ids: string[] = [];
  let n = 0;
  // Interleave with unrelated letters, in a shuffled order of combinations.
  const combos: number[][] = [];
  for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) for (let c = 0; c < 5; c++) for (let d = 0; d < 5; d++) combos.push([a, b, c, d]);
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [combos[i], combos[j]] = [combos[j], combos[i]];
  }
  for (const choice of combos) {
    const id = `c${n++}`;
    ids.push(id);
    index.add(id, t.letter(choice, vocab, r), n);
    if (n % 5 === 0) index.add(`u${n}`, uniqueLetter(vocab, r), n);
  }
  const campaigns = index.campaigns();
  assert.equal(campaigns.length, 1, 'one campaign');
  assert.equal(campaigns[0].size, 625);
  assert.deepEqual(new Set(campaigns[0].members), new Set(ids));
  // Shared text: the 20 generated paragraphs are each found by many letters.
  assert.ok(campaigns[0].sharedText.length >= 3);
});

test('two letters sharing one generated paragraph out of four are linked', () => {
  const vocab = new Vocabulary();
  const r = rng(5);
  const t = new CampaignTemplate(vocab, r, 4, 5);
  const index = new CampaignIndex();
  index.add('a', t.letter([0, 0, 0, 0], vocab, r, false));
  const b = index.add('b', t.letter([1, 1, 3, 1], vocab, r, false));
  assert.equal(b.campaignId, null, 'no shared paragraph, no link');
  const c = index.add('c', t.letter([2, 2, 2, 0], vocab, r, false)); // shares the 4th paragraph with a
  assert.equal(c.campaignId, 'a');
  assert.deepEqual(c.similarTo.map((s) => s.letterId), ['a']);
});

test('pairs sharing one paragraph of four, each letter also varied (names, sentences added/dropped/reordered)', () => {
  const vocab = new Vocabulary();
  const r = rng(77);
  let linked = 0;
  let falseLinks = 0;
  const trials = 200;
  for (let i = 0; i < trials; i++) {
    const t = new CampaignTemplate(vocab, r, 4, 5);
    const slot = Math.floor(r() * 4);
    const a = [0, 0, 0, 0];
    const b = [1, 2, 3, 4];
    b[slot] = 0;
    const index = new CampaignIndex();
    index.add('a', t.letter(a, vocab, r));
    index.add('n', t.letter([2, 3, 4, 1], vocab, r)); // shares nothing with a
    if (index.campaignOf('n')) falseLinks++;
    if (index.add('b', t.letter(b, vocab, r)).similarTo.some((s) => s.letterId === 'a')) linked++;
  }
  console.log(`one-shared-paragraph pairs linked directly: ${linked}/${trials}; false links: ${falseLinks}`);
  assert.equal(falseLinks, 0);
  assert.ok(linked / trials >= 0.9);
});

test('an index of one band still links near-duplicates', () => {
  const vocab = new Vocabulary();
  const r = rng(5);
  const t = new CampaignTemplate(vocab, r);
  const index = new CampaignIndex({ bands: 1, rows: 24 });
  index.add('a', t.letter([0, 0, 0, 0], vocab, r, false), 1000);
  assert.equal(index.add('b', t.letter([0, 0, 0, 0], vocab, r, false), 2000).campaignId, 'a');
});

test('a short signature still links copies: the agreements asked for are never more than a band leaves', () => {
  const vocab = new Vocabulary(20000, 11);
  const r = rng(3);
  const t = new CampaignTemplate(vocab, r);
  const index = new CampaignIndex({ bands: 2, rows: 2 });
  const text = t.letter([0, 0, 0, 0], vocab, r, false);
  index.add('a', text, 1000);
  assert.equal(index.add('b', text, 2000).campaignId, 'a');
});

test('five campaigns among thousands of unrelated letters stay five, and unrelated letters stay out', () => {
  // As the end-to-end bench writes: one letter in ten from one of five
  // templates, the rest unrelated. A candidate found by one band's agreeing
  // rows once counted those rows as evidence, and chance agreements between a
  // paragraph and a long letter chained the five campaigns into one (seed 7).
  // Then, from the other values, three chance agreements between units of
  // very unequal size still chained two templates on seeds 2, 4 and 29 of 30
  // (minAgreeing).
  for (const seed of [7, 2, 4, 29]) {
    const vocab = new Vocabulary(20000, 11);
    const r = rng(seed);
    const templates = Array.from({ length: 5 }, () => new CampaignTemplate(vocab, r));
    const index = new CampaignIndex();
    const items: { id: string; truth: string | null; predicted: string | null }[] = [];
    for (let i = 0; i < 8000; i++) {
      const t = i % 10 === 0 ? (i / 10) % 5 : -1;
      const id = `l${i}`;
      index.add(id, t >= 0 ? templates[t]!.letter([0, 1, 2, 3].map(() => Math.floor(r() * 5)), vocab, r) : uniqueLetter(vocab, r), 1000 + i);
      items.push({ id, truth: t >= 0 ? `t${t}` : null, predicted: null });
    }
    for (const item of items) item.predicted = index.campaignOf(item.id);
    const templatesOf = new Map<string, Set<string>>();
    for (const { truth, predicted } of items) if (truth && predicted) templatesOf.set(predicted, (templatesOf.get(predicted) ?? new Set()).add(truth));
    assert.deepEqual([...templatesOf.values()].map((s) => s.size), [1, 1, 1, 1, 1], `seed ${seed}: each template its own campaign`);
    const { precision, recall } = pairwise(items);
    const strays = items.filter((i) => !i.truth && i.predicted).length;
    console.log(`seed ${seed}, five templates in 8,000 letters: pairwise precision ${precision.toFixed(4)} recall ${recall.toFixed(4)}; unrelated letters in a campaign ${strays} of 7,200`);
    assert.ok(precision >= 0.99 && recall >= 0.99, `seed ${seed}`);
    assert.ok(strays <= 36, `seed ${seed}: at most half a percent of unrelated letters in a campaign`);
  }
});

test('names changed, sentences added, dropped and reordered still link; merged paragraphs too', () => {
  const template = [
    'The council promised the new library would open this spring, and it has now delayed the opening for a third time without explanation.',
    'Families in the northern districts have no other place to study after school, and the temporary reading room closes at five in the afternoon.',
    'We ask the council to publish the construction schedule, name the contractor responsible for the delay, and report to residents every month.',
  ];
  const a = ['Dear Editor,', template[0] + ' ' + 'I have three children who are waiting for it.', template[1], template[2], 'Maria Lopez'].join('\n\n');
  const b = [
    'To the editor,',
    // sentences of paragraph 3 reordered, paragraph 2 dropped, everything in one block
    'We ask the council to publish the construction schedule, name the contractor responsible for the delay, and report to residents every month. ' +
      template[0] +
      ' As a retired teacher I find this shameful.',
    'John Smith, Westside',
  ].join('\n\n');
  const index = new CampaignIndex();
  index.add('a', a);
  assert.equal(index.add('b', b).campaignId, 'a');
});

test('unrelated letters on the same topic are not linked', () => {
  const index = new CampaignIndex();
  const letters = [
    'The tram delay is a scandal. The council has spent four years and twice the budget, and the people of Eastbank still ride the crowded bus every morning. Someone should resign.',
    'I run a bakery near the tram works. The road has been closed for months and my customers cannot reach the shop. The council should pay compensation to businesses on the route.',
    'Your article on the tram was unfair to the engineers. The bearing failure was found in testing, which is what testing is for. Better a delay now than an accident later.',
    'Why does the council never explain who chose the supplier for the tram? Residents deserve to know how the contract was awarded and whether anyone checked the steel.',
  ];
  letters.forEach((t, i) => index.add(`t${i}`, t));
  assert.equal(index.campaigns().length, 0);
});

test('state persists as records and restores to the same clusters', async () => {
  const vocab = new Vocabulary();
  const r = rng(3);
  const t = new CampaignTemplate(vocab, r);
  const store = new MemoryCampaignStore();
  const live = new CampaignIndex();
  for (let i = 0; i < 60; i++) {
    const text = i % 3 === 0 ? uniqueLetter(vocab, r) : t.letter([i % 5, (i >> 1) % 5, 0, (i >> 2) % 5], vocab, r);
    const res = live.add(`m${i}`, text, i * 1000);
    store.append(JSON.parse(JSON.stringify(res.record)));
  }
  const restored = await CampaignIndex.restore(store);
  assert.deepEqual(restored.campaigns(), live.campaigns());
  // The restored index keeps working: a new copy joins the same campaign.
  const next = restored.add('new', t.letter([0, 0, 0, 0], vocab, r));
  assert.equal(next.campaignId, live.campaignOf('m1'));
});

test('query finds near-duplicates without adding', () => {
  const index = new CampaignIndex();
  const text = 'We the undersigned residents demand that the council restore the evening bus service on route nine, which hundreds of shift workers rely on to get home safely.';
  index.add('x', text);
  const hits = index.query(text.replace('nine', 'ten'));
  assert.equal(hits[0]?.letterId, 'x');
  assert.equal(index.letterCount, 1);
});

test('remove: an erased letter no longer matches and leaves its campaign', () => {
  const vocab = new Vocabulary();
  const r = rng(21);
  const t = new CampaignTemplate(vocab, r);
  const index = new CampaignIndex();
  index.add('a', t.letter([0, 0, 0, 0], vocab, r), 1000);
  index.add('b', t.letter([0, 0, 0, 0], vocab, r), 2000);
  index.add('c', t.letter([0, 0, 0, 0], vocab, r), 3000);
  index.add('solo', uniqueLetter(vocab, r), 3500);
  assert.equal(index.campaignOf('c'), 'a');
  assert.equal(index.remove('nope'), false);

  // The founder goes: the oldest remaining member becomes the campaign id.
  assert.equal(index.remove('a'), true);
  assert.equal(index.campaignOf('a'), null);
  assert.equal(index.campaign('a'), null);
  const c = index.campaign('b')!;
  assert.deepEqual(c.members, ['b', 'c']);
  assert.equal(c.firstSeen.getTime(), 2000);
  assert.equal(c.lastSeen.getTime(), 3000);
  assert.equal(index.campaignOf('c'), 'b');
  assert.ok(c.sharedText.length >= 1);
  assert.ok(index.query(t.letter([0, 0, 0, 0], vocab, r)).every((h) => h.letterId !== 'a'));

  // A member goes: the campaign of one letter is no campaign.
  assert.equal(index.remove('c'), true);
  assert.equal(index.campaignOf('b'), null);
  assert.deepEqual(index.campaigns(), []);
  assert.equal(index.remove('solo'), true);

  // New copies still join the remaining letter, and an erased id can come back.
  const d = index.add('d', t.letter([0, 0, 0, 0], vocab, r), 4000);
  assert.equal(d.campaignId, 'b');
  assert.deepEqual(d.similarTo.map((s) => s.letterId), ['b']);
  index.add('a', uniqueLetter(vocab, r), 5000);
  assert.equal(index.campaignOf('a'), null);
  assert.deepEqual(index.campaign('b')!.members, ['b', 'd']);
});
