// A letter received is acknowledged to its writer, unless it came from a
// kind of mail that must never be answered; the mail carries the link to
// confirm their address when the letter waits for that.
import type { Processor } from '../events/processor.ts';
import type { ReceivedData } from '../letters/intake.ts';
import { mailAcknowledgement } from '../publishing/acknowledgement.ts';

export const acknowledge: Processor = {
  name: 'acknowledge',
  on: ['received'],
  async process(ctx, trx, event) {
    const data = event.data as Partial<ReceivedData>;
    const letter = event.letter;
    if (!letter || data.acknowledge === false || letter.status === 'withdrawn') return;
    await mailAcknowledgement(ctx, trx, letter, { confirm: letter.status === 'unconfirmed', replyTo: data.replyTo ?? null }, event.round);
  },
};
