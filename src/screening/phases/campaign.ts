// Campaigns: the letter joins the campaign index: near-duplicates of one
// template from several senders, or letters of different writers built
// around the same distinctive phrases (talking points); when it is close to
// earlier letters it belongs to their campaign, and campaigns it links
// together merge.
import type { ScreeningPhase } from '../pipeline.ts';

export const campaignPhase: ScreeningPhase = {
  name: 'campaign',
  async run(ctx) {
    const index = ctx.read.campaigns ? await ctx.read.campaigns() : null;
    if (!index) return;
    // Letters of one writer never make a campaign of talking points on their own.
    const r = index.add(ctx.letter.id, ctx.letter.text, ctx.letter.receivedAt, { writer: ctx.letter.from ?? undefined });
    return { campaign: { id: r.campaignId, similarTo: r.similarTo, merged: r.merged, record: r.record }, flags: r.campaignId ? ['campaign'] : [] };
  },
};
