// Editors' decisions teach the spam model: `spam` teaches spam; `not_spam`
// teaches genuine, and so do shortlisting and publishing (an editor who
// shortlists a letter has judged it genuine), never over an explicit decision.
import type { Processor } from '../events/processor.ts';
import { teach } from '../screening-store/learning.ts';

export const learnSpam: Processor = {
  name: 'learn-spam',
  on: ['spam', 'not_spam', 'shortlist', 'publish'],
  async process(ctx, trx, event) {
    if (!event.letter) return;
    const explicit = event.action === 'spam' || event.action === 'not_spam';
    await teach(ctx, trx, event.letter, event.action === 'spam' ? 'spam' : 'ham', { replace: explicit });
  },
};
