// Spam: what the classifier learnt from editors' spam / not spam decisions
// (and their shortlisting and publishing) says of this text. Silent until it
// has seen both kinds, and bounded, so a young model cannot overrule the rules.
import { modelEvidence } from '../spam.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const spamModelPhase: ScreeningPhase = {
  name: 'spam-model',
  async run(ctx) {
    if (!ctx.read.spamModel) return;
    return { spamEvidence: modelEvidence(await ctx.read.spamModel(), ctx.letter.subject ?? null, ctx.letter.text) };
  },
};
