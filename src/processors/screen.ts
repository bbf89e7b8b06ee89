// A letter received is screened: its article (when it came without one),
// spam score, campaign and policy flags (src/screening-store/screen-letter.ts).
import type { Processor } from '../events/processor.ts';
import { screenLetter } from '../screening-store/screen-letter.ts';
import { campaignsReady, exclusively, forgetCampaigns } from '../screening-store/state.ts';

export const screen: Processor = {
  name: 'screen',
  on: ['received'],
  guard: (ctx, work) => exclusively(ctx.db, work),
  // At start the campaign index is read in the background; letters wait for it, the node does not.
  ready: (ctx) => campaignsReady(ctx.db),
  async process(ctx, trx, event) {
    if (!event.letterId) return;
    const screened = ctx.metrics.screeningSeconds.startTimer();
    await screenLetter(ctx, trx, event.letterId, event.round);
    screened();
  },
  // The campaign index may hold the letter although its record was not stored: rebuilt on next use.
  onRollback: (ctx) => forgetCampaigns(ctx.db),
};
