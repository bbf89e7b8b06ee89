// The issue 16 methods as the desk runs them: letters from different writers
// built around the same phrases become one talking-point campaign, while
// letters that agree with the article (and quote it) stay out; a mail also
// addressed to another publication's letters address is flagged as not
// exclusive, with the address shown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { getJson, postJson, type TestApp } from '../support/app.ts';
import { jsonl, type LabelledLetter } from '../matching/labelled.ts';
import { LETTERS, letter, mail, receive, runBackground, startDesk } from './support.ts';

type Row = Omit<LabelledLetter, 'set'>;

forEachDialect('talking points and letters sent elsewhere, through the desk', (dialect) => {
  let app: TestApp;
  before(async () => {
    app = await startDesk(dialect);
    const token = await app.token('editor');
    for (const a of jsonl<Record<string, unknown>>('letters/articles.jsonl')) {
      const r = await postJson(`${app.url}/api/v1/articles`, a, { authorization: `Bearer ${token}` });
      assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.json));
    }
  });
  after(() => app.close());

  test('one campaign of talking points; letters agreeing with the article stay out of it', async () => {
    const rows = jsonl<Row>('letters/campaigns.jsonl').sort((a, b) => new Date(a.date!).getTime() - new Date(b.date!).getTime());
    const ids = new Map<Row, string>();
    for (const r of rows) {
      const got = await receive(app, mail(`${r.name} <${r.email}>`, r.subject ?? '', r.body, { date: new Date(r.date!) }));
      assert.ok(got.letterId, got.reason);
      ids.set(r, got.letterId);
      await runBackground(app);
    }
    const campaignOf = async (r: Row) => (await letter(app, ids.get(r)!)).screening.campaign as string | null;

    const points = rows.filter((r) => r.campaign && (r as { campaignKind?: string }).campaignKind === 'talking_points');
    const template = rows.filter((r) => r.campaign && (r as { campaignKind?: string }).campaignKind === 'template');
    const ordinary = rows.filter((r) => !r.campaign);
    assert.ok(points.length >= 4 && template.length >= 3 && ordinary.length >= 10, 'the fixture has both kinds and ordinary letters');

    const pointIds = new Set(await Promise.all(points.map(campaignOf)));
    assert.equal(pointIds.size, 1, `the talking-point letters are one campaign: ${[...pointIds].join(', ')}`);
    const pointsCampaign = [...pointIds][0];
    assert.ok(pointsCampaign, 'and they have one');
    const templateIds = new Set(await Promise.all(template.map(campaignOf)));
    assert.equal(templateIds.size, 1);
    assert.notEqual([...templateIds][0], pointsCampaign, 'the template campaign is another');
    for (const r of ordinary) assert.equal(await campaignOf(r), null, `${r.id}: agreeing with the article is not a campaign`);

    const list = await getJson(`${app.url}/api/v1/campaigns`, await app.token('viewer'));
    const kinds = new Map((list.json.items as { id: string; kind: string; size: number }[]).map((c) => [c.id, c]));
    assert.equal(kinds.get(pointsCampaign!)?.kind, 'talking_points');
    assert.equal(kinds.get(pointsCampaign!)?.size, points.length);
    assert.equal(kinds.get([...templateIds][0]!)?.kind, 'template');
    const detail = await getJson(`${app.url}/api/v1/campaigns/${pointsCampaign}`, await app.token('viewer'));
    assert.equal(detail.status, 200);
    assert.ok(detail.json.sharedText.length > 0, 'the campaign shows the phrases its letters share');
  });

  test('two readers quoting the same lines of a new article agree; they do not campaign', async () => {
    // Posted after the campaign index was built: it must reach the index too.
    const article = {
      id: 'estuary-crossing',
      url: 'https://review.example.com/city/estuary-crossing/',
      title: 'Council Weighs a Tunnel Under the Estuary',
      author: 'Mara Quist',
      publishedAt: new Date().toISOString(),
      section: 'City',
      body: 'Engineers told the council that a bored tunnel beneath the estuary mudflats would cost eleven hundred million pounds, twice the suspension bridge estimate. Residents of Saltmarsh Quay fear decades of heavy lorries on Cockle Lane during construction. The harbour master warned that dredging spoil barges would close the eastern shipping channel for three winters.',
    };
    const r = await postJson(`${app.url}/api/v1/articles`, article, { authorization: `Bearer ${await app.token('editor')}` });
    assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.json));
    const letters = [
      ['Owen Tarrant <owen.tarrant@example.net>', 'Your report says a bored tunnel beneath the estuary mudflats would cost eleven hundred million pounds. I would rather my grandchildren inherit a working bridge than that bill, and I say so as someone who has crossed by ferry since 1971.'],
      ['Lena Brook <lena.brook@example.org>', 'Having lived on Cockle Lane for thirty years, I read that a bored tunnel beneath the estuary mudflats would cost eleven hundred million pounds. Good value, if it spares the village. Build it, and build it before my roof falls in from the vibration of the lorries.'],
    ];
    const ids: string[] = [];
    for (const [from, body] of letters) {
      const got = await receive(app, mail(from!, 'The estuary tunnel', `${body}\n\nestuary-crossing: https://review.example.com/city/estuary-crossing/`));
      ids.push(got.letterId!);
      await runBackground(app);
    }
    for (const id of ids) assert.equal((await letter(app, id)).screening.campaign, null, 'quoting the article is not a talking point');
  });

  test('a mail also sent to another publication is flagged not exclusive, with the address', async () => {
    const raw = mail('Rita Moss <rita.moss@example.net>', 'Ferry timetable', 'The new ferry timetable leaves commuters from the east bank waiting forty minutes in the rain every evening. Please restore the half-hourly service.')
      .replace(`To: ${LETTERS}`, `To: ${LETTERS}\r\nCc: Letters <letters@dailyherald.example>, rita.sister@example.org`);
    const got = await receive(app, raw);
    assert.ok(got.letterId, got.reason);
    await runBackground(app);
    const l = await letter(app, got.letterId);
    assert.ok(l.screening.flags.includes('not_exclusive'), JSON.stringify(l.screening));
    assert.match(l.screening.flagReasons.not_exclusive, /letters@dailyherald\.example/);
    assert.doesNotMatch(l.screening.flagReasons.not_exclusive, /rita\.sister/, 'a private copy is not another publication');

    const plain = await receive(app, mail('Sam Reyes <sam.reyes@example.net>', 'Ferry timetable', 'The ferry timetable change was overdue; the half-hourly service ran nearly empty after eight.'));
    await runBackground(app);
    const p = await letter(app, plain.letterId!);
    assert.equal(p.screening.flagReasons.not_exclusive, undefined, JSON.stringify(p.screening));
  });
});
