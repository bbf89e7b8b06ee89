// A letter received (after screening matched its article and campaign), or
// moved to another article, or found not to be spam, is placed among its
// article's lines of argument and given a stance estimate
// (src/insights-store/place.ts); that may queue a re-grouping of the article.
import type { Processor } from '../events/processor.ts';
import { placeLetter } from '../insights-store/place.ts';
import { forgetInsightState } from '../insights-store/state.ts';

export const insights: Processor = {
  name: 'insights',
  on: ['received', 'assign_article', 'not_spam'],
  async process(ctx, trx, event) {
    if (!event.letterId) return;
    await placeLetter(ctx, trx, event.letterId, event.round);
  },
  // The thread's copy of an article's state may have been read inside the rolled-back work.
  onRollback: () => forgetInsightState(),
};
