import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignIndex } from '../../src/screening/campaigns.ts';
import { ArticleIndex } from '../../src/matching/article-index.ts';
import { screen, type ScreeningContext, type ScreeningPhase } from '../../src/screening/pipeline.ts';
import { SCREENING_PHASES } from '../../src/screening/phases/index.ts';

const TEMPLATE = 'The council must publish a realistic timetable for the tram, name the official responsible for delivering it, and report progress every quarter at a public meeting. Residents of Eastbank have waited long enough for this line.';

test('phases combine into one verdict', async () => {
  const campaigns = new CampaignIndex();
  const articles = new ArticleIndex();
  articles.add({ id: 'tram', url: 'https://news.example.com/tram', title: 'The tram to Eastbank', publishedAt: '2024-03-01' });
  const settings = { wordLimit: 30, articleAgeDays: 30, oneLetterPerDays: 7, requireExclusive: true };
  const read = (previous: string[]): ScreeningContext['read'] => ({
    articles: async () => ({ index: articles, trustedHosts: [] }),
    campaigns: async () => campaigns,
    previousLetterDates: async () => previous.map((d) => new Date(d)),
  });
  const first = await screen({ letter: { id: 'l1', text: TEMPLATE, receivedAt: new Date('2024-05-01'), exclusive: true }, settings, ownAddresses: [], read: { campaigns: async () => campaigns } }, SCREENING_PHASES);
  assert.deepEqual(first.flags, ['over_word_limit']);
  assert.equal(first.campaign?.id, null);
  assert.ok(first.campaign?.record);
  const second = await screen(
    {
      letter: { id: 'l2', text: `${TEMPLATE} Finish the line!`, receivedAt: new Date('2024-05-02'), from: 'a@example.com', replyTo: 'b@other.example.net', articleId: 'tram' },
      settings,
      ownAddresses: [],
      read: read(['2024-04-30']),
    },
    SCREENING_PHASES,
  );
  assert.equal(second.campaign?.id, 'l1');
  assert.deepEqual(second.flags, ['campaign', 'over_word_limit', 'article_too_old', 'wrote_recently', 'not_exclusive']);
  assert.ok(second.spamReasons.some((r) => r.includes('Reply-To')));
  assert.ok(second.spamScore < 0.5);
});

test('custom phases run in order and may stop the pipeline', async () => {
  const seen: string[] = [];
  const blocklist: ScreeningPhase = {
    name: 'blocklist',
    run(ctx) {
      seen.push('blocklist');
      if (ctx.letter.from?.endsWith('@spam.example')) return { spamEvidence: [{ weight: Infinity, reason: 'sender on blocklist' }], flags: ['spam'], stop: true };
    },
  };
  const v = await screen({ letter: { id: 'x', text: 'hello there', receivedAt: new Date(0), from: 'x@spam.example' }, settings: {}, ownAddresses: [], read: {} }, [blocklist, ...SCREENING_PHASES]);
  assert.deepEqual(v.flags, ['spam']);
  assert.equal(v.spamScore, 1);
  assert.deepEqual(seen, ['blocklist']);
});

test('at the door only the phases marked for it run, without anything to read', async () => {
  const ran: string[] = [];
  const spy = (name: string, atDoor: boolean): ScreeningPhase => ({ name, atDoor, run: () => void ran.push(name) });
  const v = await screen(
    { letter: { id: '', text: 'Buy cheap pills: order now, 100% free, click here https://bit.ly/x', receivedAt: new Date(), auth: { spf: 'fail', dmarc: 'fail' } }, settings: {}, ownAddresses: [], read: {} },
    [spy('before', true), ...SCREENING_PHASES, spy('letter only', false)],
    { door: true },
  );
  assert.deepEqual(ran, ['before']);
  assert.deepEqual(v.flags, ['spam']);
  assert.ok(v.spamReasons.includes('SPF fail') && v.spamReasons.includes('link shortener'), v.spamReasons.join('; '));
  assert.equal(v.campaign, null, 'nothing is added to the campaign index at the door');
});
