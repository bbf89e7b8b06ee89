// Spam: the web form's proof of work. Solved, it lowers the score; missing
// (a form sent without JavaScript, or a stale challenge) it raises it and
// flags the letter, so that editors know the check did not happen.
import { powEvidence } from '../spam.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const proofOfWorkPhase: ScreeningPhase = {
  name: 'proof-of-work',
  run(ctx) {
    const { pow } = ctx.letter;
    if (!pow) return;
    return { spamEvidence: powEvidence(pow), flags: pow === 'missing' ? ['no_proof_of_work'] : [] };
  },
};
