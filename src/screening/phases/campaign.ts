// Campaigns: the letter joins the campaign index (near-duplicates of one
// template from several senders); when it is close to earlier letters it
// belongs to their campaign, and campaigns it links together merge.
import type { ScreeningPhase } from '../pipeline.ts';

export const campaignPhase: ScreeningPhase = {
  name: 'campaign',
  async run(ctx) {
    const index = ctx.read.campaigns ? await ctx.read.campaigns() : null;
    if (!index) return;
    const r = index.add(ctx.letter.id, ctx.letter.text, ctx.letter.receivedAt);
    return { campaign: { id: r.campaignId, similarTo: r.similarTo, merged: r.merged, record: r.record }, flags: r.campaignId ? ['campaign'] : [] };
  },
};
