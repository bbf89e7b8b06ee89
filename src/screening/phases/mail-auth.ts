// Spam: a mail's SPF, DKIM and DMARC results (kept from the mail door) move
// the score: failures up, passes a little down. Form letters have none.
import { authEvidence } from '../spam.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const mailAuthPhase: ScreeningPhase = {
  name: 'mail-auth',
  atDoor: true,
  run(ctx) {
    if (ctx.letter.auth) return { spamEvidence: authEvidence(ctx.letter.auth) };
  },
};
