// A mail addressed to other publications' letters addresses too (in To or
// Cc) is not exclusive to this one, whatever the policy asks: flagged, with
// the addresses shown, for the editor to weigh.
import type { ScreeningPhase } from '../pipeline.ts';

export const sentElsewherePhase: ScreeningPhase = {
  name: 'sent-elsewhere',
  run(ctx) {
    const others = ctx.letter.sentAlsoTo ?? [];
    if (!others.length) return;
    return { flags: ['not_exclusive'], details: { not_exclusive: `also sent to ${others.join(', ')}` } };
  },
};
