import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignIndex } from '../../src/screening/campaigns.ts';
import { DEFAULT_PHASES, screen, type ScreeningPhase } from '../../src/screening/pipeline.ts';

const TEMPLATE = 'The council must publish a realistic timetable for the tram, name the official responsible for delivering it, and report progress every quarter at a public meeting. Residents of Eastbank have waited long enough for this line.';

test('phases combine into one verdict', () => {
  const campaigns = new CampaignIndex();
  const settings = { wordLimit: 30, articleAgeDays: 30, oneLetterPerDays: 7, requireExclusive: true };
  const first = screen({ letter: { id: 'l1', text: TEMPLATE, receivedAt: '2024-05-01', exclusive: true }, campaigns, settings });
  assert.deepEqual(first.flags, ['over_word_limit']);
  assert.equal(first.campaign, null);
  assert.ok(first.campaignRecord);
  const second = screen({
    letter: { id: 'l2', text: `${TEMPLATE} Finish the line!`, receivedAt: '2024-05-02', from: 'a@example.com', replyTo: 'b@other.example.net' },
    article: { id: 'tram', publishedAt: '2024-03-01' },
    previousLetterDates: ['2024-04-30'],
    campaigns,
    settings,
  });
  assert.equal(second.campaign, 'l1');
  assert.deepEqual(second.flags, ['campaign', 'over_word_limit', 'article_too_old', 'wrote_recently', 'not_exclusive']);
  assert.ok(second.spamReasons.some((r) => r.includes('Reply-To')));
  assert.ok(second.spamScore < 0.5);
});

test('custom phases run in order and may stop the pipeline', () => {
  const seen: string[] = [];
  const blocklist: ScreeningPhase = {
    name: 'blocklist',
    run(ctx) {
      seen.push('blocklist');
      if (ctx.letter.from?.endsWith('@spam.example')) return { spamScore: 1, spamReasons: ['sender on blocklist'], flags: ['spam'], stop: true };
    },
  };
  const v = screen({ letter: { id: 'x', text: 'hello there', receivedAt: 0, from: 'x@spam.example' } }, [blocklist, ...DEFAULT_PHASES]);
  assert.deepEqual(v.flags, ['spam']);
  assert.equal(v.spamScore, 1);
  assert.deepEqual(seen, ['blocklist']);
});
