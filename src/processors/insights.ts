// A letter received (after screening matched its article and campaign), or
// moved to another article, or found not to be spam, is placed among its
// article's lines of argument and given a stance estimate: by a job the
// round queues for all its letters (src/insights-store/place.ts), which may
// queue a re-grouping of the article.
import type { Processor } from '../events/processor.ts';
import { askPlacement } from '../insights-store/place.ts';

export const insights: Processor = {
  name: 'insights',
  on: ['received', 'assign_article', 'not_spam'],
  async process(ctx, trx, event) {
    if (!event.letterId) return;
    await askPlacement(ctx, trx, event.letterId, event.round);
  },
};
