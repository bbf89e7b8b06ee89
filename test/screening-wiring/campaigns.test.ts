// Campaigns as letters arrive: recognised from the second letter on, kept
// across a restart, and in step across two app nodes on one database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, type TestApp } from '../support/app.ts';
import { runBackground, letter, mail, receive, startNode, stopNode, suiteDesk } from './support.ts';

const PARAGRAPHS = [
  'The council must stop delaying the harbour footbridge. Every month of delay adds to the cost for taxpayers and keeps the east bank cut off from the markets and schools on the west side of the water.',
  'Families on the east bank walk forty minutes around the old road bridge today, and the promised ferry service runs only twice a day. Nobody voted for a bridge that exists only in planning documents.',
  'I urge the council to publish a firm timetable, to report on progress at a public meeting every quarter, and to keep the original budget that was promised to residents three years ago.',
];
const NAMES = ['Ada Quill', 'Ben Harrow', 'Cleo Marsh', 'Dev Patel', 'Eve Lund', 'Finn Ortega'];

function templateLetter(i: number): string {
  const name = NAMES[i % NAMES.length]!;
  return `Dear Editor,\n\n${PARAGRAPHS.join('\n\n')}\n\nYours sincerely,\n${name}`;
}

async function send(app: TestApp, i: number, extra = ''): Promise<string> {
  const name = NAMES[i % NAMES.length]!;
  const from = `${name.split(' ')[0]!.toLowerCase()}${i}@example.org`;
  const r = await receive(app, mail(`${name} <${from}>`, 'Build the footbridge', templateLetter(i) + extra));
  assert.ok(r.letterId, r.reason);
  await runBackground(app);
  return r.letterId;
}

forEachDialect('campaigns as letters arrive', (dialect) => {
  const s = suiteDesk(dialect);

  test('recognised from the second letter on, across a restart and across nodes', async () => {
    const viewer = await s.app.token('viewer');
    const genuine = await receive(s.app, mail('Gus Rowe <gus@example.net>', 'Museum maps', 'What a delight to read about the maps found in a basement drawer at the Harbor Museum. I hope they go on display soon, with the story of how they were lost.'));
    const first = await send(s.app, 0);
    assert.equal((await letter(s.app, first)).screening.campaign, null, 'one letter is not a campaign');
    const second = await send(s.app, 1);
    const s2 = await letter(s.app, second);
    assert.equal(s2.screening.campaign, first, 'the campaign is named after its first letter');
    assert.ok(s2.screening.flags.includes('campaign'));
    assert.equal((await letter(s.app, first)).screening.campaign, first, 'the first letter joins when the second arrives');
    await runBackground(s.app);
    assert.equal((await letter(s.app, genuine.letterId!)).screening.campaign, null);

    // A restart: a new node on the same database adds a new member to the old campaign.
    await stopNode(s.app);
    s.app = await startNode(s.app);
    const third = await send(s.app, 2, '\n\nP.S. My children cross every morning.');
    assert.equal((await letter(s.app, third)).screening.campaign, first);

    // A second node, started before letters it has not seen: it catches up before adding.
    const other = await startNode(s.app);
    try {
      const before = await getJson(`${other.url}/api/v1/campaigns`, await other.token('viewer'));
      assert.equal(before.json.items[0].size, 3);
      const fourth = await send(s.app, 3);
      const fifth = await send(other, 4);
      assert.equal((await letter(other, fifth)).screening.campaign, first);
      const sixth = await send(s.app, 5);
      assert.equal((await letter(s.app, sixth)).screening.campaign, first);
      const list = await getJson(`${other.url}/api/v1/campaigns`, await other.token('viewer'));
      assert.equal(list.json.items.length, 1);
      assert.deepEqual(list.json.items[0].members, [first, second, third, fourth, fifth, sixth]);
      assert.ok(list.json.items[0].sharedText.some((s: any) => s.text.includes('harbour footbridge')));

      // Articles saved on one node are matched on the other.
      const editor = await other.token('editor');
      const created = await postJson(`${other.url}/api/v1/articles`, { id: 'a-footbridge', url: 'https://review.example.com/2024/footbridge-plan', title: 'The Footbridge Nobody Has Built', publishedAt: new Date().toISOString() }, { authorization: `Bearer ${editor}` });
      assert.equal(created.status, 201);
      const linked = await receive(s.app, mail('Hal Tern <hal@example.net>', 'Your article', 'About https://review.example.com/2024/footbridge-plan — the ferry is not a substitute for a bridge, and the article was right to say so.'));
      await runBackground(s.app);
      const j = await letter(s.app, linked.letterId!);
      assert.equal(j.article.id, 'a-footbridge');
      assert.equal(j.article.method, 'url');
    } finally {
      await stopNode(other);
    }

    const members = await getJson(`${s.app.url}/api/v1/letters?campaign=${first}`, viewer);
    assert.equal(members.json.items.length, 6);
  });
});
