// Spam: what the text, its links and its sender say (hand-written rules;
// links to the publication's own sites are expected). Runs at the mail door
// too, where it decides between letter and tray.
import { contentEvidence } from '../spam.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const spamRulesPhase: ScreeningPhase = {
  name: 'spam-rules',
  atDoor: true,
  async run(ctx) {
    const { letter } = ctx;
    const trusted = ctx.read.articles ? (await ctx.read.articles()).trustedHosts : [];
    return {
      spamEvidence: contentEvidence({
        subject: letter.subject,
        text: letter.text,
        html: letter.html,
        from: letter.from,
        replyTo: letter.replyTo,
        auth: letter.auth,
        ownAddresses: [...ctx.ownAddresses],
        trustedDomains: [...trusted],
      }),
    };
  },
};
