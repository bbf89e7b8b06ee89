// The publication's own rules, as flags: over the word limit, about an
// article older than the window, a writer who wrote recently, a letter not
// promised as exclusive.
import { checkPolicy } from '../policy.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const policyPhase: ScreeningPhase = {
  name: 'policy',
  async run(ctx, sofar) {
    const p = checkPolicy(ctx.settings, {
      body: ctx.letter.text,
      receivedAt: ctx.letter.receivedAt,
      articlePublishedAt: sofar.article?.publishedAt ?? null,
      previousLetterDates: ctx.read.previousLetterDates ? await ctx.read.previousLetterDates() : [],
      exclusive: ctx.letter.exclusive,
    });
    return { flags: p.flags, details: p.details };
  },
};
