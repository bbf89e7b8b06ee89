// The acknowledgement a writer gets for every letter (unless it must never
// be answered), in their language: thanks, a link to confirm their address
// when the publication requires it, a link to give their consent to
// publication when the letter came by email (the form asks at once), the
// start of their letter, and the withdraw link. A reply to
// their mail when the letter came by mail (RFC 3834: marked auto-replied).
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import type { Round } from '../db/round.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import type { Letter } from '../db/repositories/letters.ts';
import { enqueueMail } from '../db/repositories/outbox.ts';
import { newLinkToken } from '../letters/links.ts';
import { deskHeaders, letterMessageId } from '../outbox/compose.ts';
import { acknowledgement } from '../outbox/templates.ts';
import { consentLinkFor } from './consent.ts';
import { issueLink, WITHDRAW_LINK_DAYS } from './links.ts';
import { writerTranslator } from './readers.ts';

export type AckOptions = {
  /** The letter waits for the writer to confirm their address: the mail carries the link (a new one each time). */
  confirm: boolean;
  /** The writer's message this answers (letters by mail). */
  replyTo: { messageId: string; references: string[] } | null;
};

export async function mailAcknowledgement(ctx: AppContext, trx: Trx, letter: Letter, opts: AckOptions, round: Pick<Round, 'article' | 'writer' | 'updateLetter'>): Promise<void> {
  const to = await round.writer(letter.writerId);
  if (!to || to.erased) return;
  // Only the token's hash is stored: the link exists in this mail alone.
  const confirm = opts.confirm ? newLinkToken() : null;
  if (confirm) await round.updateLetter(letter.id, { confirmTokenHash: confirm.hash });
  const article = letter.articleId ? await round.article(letter.articleId) : null;
  const ack = acknowledgement({
    t: writerTranslator(ctx.publication, letter),
    consentUrl: await consentLinkFor(ctx, trx, letter),
    publicationName: ctx.publication.name,
    writerName: letter.name,
    articleTitle: article?.title ?? null,
    confirmUrl: confirm ? `${ctx.config.publicUrl}/confirm/${confirm.token}` : null,
    excerpt: letter.body,
    withdrawUrl: await issueLink(ctx, trx, letter.id, 'withdraw', WITHDRAW_LINK_DAYS),
  });
  const mailId = await enqueueMail(ctx.db, trx, {
    letterId: letter.id,
    kind: 'acknowledgement',
    to: { address: to.email, name: letter.name },
    subject: ack.subject,
    text: ack.text,
    headers: deskHeaders({ inReplyTo: opts.replyTo?.messageId, references: opts.replyTo?.references }),
    messageId: letterMessageId(letter.id, ctx.publication.lettersAddress),
  });
  await enqueueJob(ctx.db, trx, 'deliver_mail', { mailId });
}
