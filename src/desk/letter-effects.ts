// What desk actions do beyond the letter row, inside the action's transaction:
// a decline may send the writer a reply; verification is recorded on the
// writer; confirming the address through the emailed link counts as
// verification by email.
import { onAction } from '../letters/actions.ts';
import { actorLabel } from '../letters/lifecycle.ts';
import { findWriterById } from '../db/repositories/writers.ts';
import { enqueueMail } from '../db/repositories/outbox.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { recordVerification, verifyByEmailIfUnverified } from '../db/repositories/writer-verification.ts';
import { deskHeaders, letterMessageId } from '../outbox/compose.ts';

let registered = false;

export function registerDeskEffects(): void {
  if (registered) return;
  registered = true;

  onAction('decline', async (ctx, trx, letter, input) => {
    const reply = 'reply' in input && typeof input.reply === 'string' ? input.reply : null;
    if (!reply) return;
    const writer = await findWriterById(ctx.db, letter.writerId, trx);
    if (!writer || !writer.email) return;
    const mailId = await enqueueMail(ctx.db, trx, {
      letterId: letter.id,
      kind: 'decline',
      to: { address: writer.email, name: letter.name },
      subject: `Your letter to ${ctx.publication.name}`,
      text: `${reply}\n\n— The letters desk, ${ctx.publication.name}`,
      headers: deskHeaders({ inReplyTo: letter.messageId }),
      messageId: letterMessageId(letter.id, ctx.publication.lettersAddress),
    });
    await enqueueJob(ctx.db, trx, 'deliver_mail', { mailId });
  });

  onAction('verify', async (ctx, trx, letter, input, actor) => {
    if (input.action !== 'verify') return;
    await recordVerification(ctx.db, trx, letter.writerId, { how: input.how, by: actorLabel(actor), at: new Date(), phone: input.phone, postalAddress: input.postalAddress });
  });

  onAction('confirm', async (ctx, trx, letter) => {
    await verifyByEmailIfUnverified(ctx.db, trx, letter.writerId, new Date());
  });
}
