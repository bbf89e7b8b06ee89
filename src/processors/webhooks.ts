// Integrators hear of letters through webhooks: `letter.received` (what it is
// about; who wrote it stays in the desk), `letter.published` (what the public
// sees) and `letter.withdrawn`. Each subscribed webhook gets a delivery row,
// posted and retried by a job (publishing/webhooks.ts).
import type { Processor } from '../events/processor.ts';
import { publishedWebhookData } from '../publishing/publish.ts';
import { emitWebhook } from '../publishing/webhooks.ts';

export const webhooks: Processor = {
  name: 'webhooks',
  on: ['received', 'publish', 'publish_scheduled', 'withdraw'],
  async process(ctx, trx, event) {
    const letter = event.letter;
    if (!letter) return;
    switch (event.action) {
      case 'received':
        return emitWebhook(ctx, trx, event.round, 'letter.received', {
          letter: { id: letter.id, article: letter.articleId, source: letter.source, status: event.data.status ?? letter.status, receivedAt: letter.createdAt.toISOString() },
        });
      case 'publish':
      case 'publish_scheduled':
        return emitWebhook(ctx, trx, event.round, 'letter.published', publishedWebhookData(ctx, letter));
      case 'withdraw':
        return emitWebhook(ctx, trx, event.round, 'letter.withdrawn', { letter: { id: letter.id, article: letter.articleId, wasPublished: letter.publishedAt !== null } });
    }
  },
};
