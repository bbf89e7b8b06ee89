// The writer hears of what editors do with their letter: the edited version
// to approve, that it was published (with its link), that it was declined
// (the editor's reply, or the publication's notice when it sends one).
import type { Processor } from '../events/processor.ts';
import { mailApprovalRequest } from '../publishing/approval.ts';
import { mailDeclined } from '../publishing/notices.ts';
import { mailPublishedNotice } from '../publishing/publish.ts';

export const notifyWriter: Processor = {
  name: 'notify-writer',
  on: ['request_approval', 'publish', 'publish_scheduled', 'decline'],
  async process(ctx, trx, event) {
    const letter = event.letter;
    if (!letter) return;
    switch (event.action) {
      case 'request_approval':
        return mailApprovalRequest(ctx, trx, letter);
      case 'publish':
      case 'publish_scheduled':
        return mailPublishedNotice(ctx, trx, letter);
      case 'decline':
        return mailDeclined(ctx, trx, letter, typeof event.data.reply === 'string' && event.data.reply ? event.data.reply : null);
    }
  },
};
