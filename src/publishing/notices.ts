// Writers hear back. An editor who declines a letter may send the writer a
// reply of their own; otherwise, when the publication turns it on (policy
// `declineNotice`), a declined letter gets a short courteous notice; with
// `notChosenNotice`, a letter still waiting after `notChosenDays` gets one too
// (once). Spam never gets an answer.
import type { AppContext } from '../context.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import { waitingWithoutNotice, writerAddress } from '../db/repositories/writer-mail.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { enqueueMail } from '../db/repositories/outbox.ts';
import type { Reader, Trx } from '../db/executor.ts';
import type { Letter } from '../db/repositories/letters.ts';
import { deskHeaders, letterMessageId } from '../outbox/compose.ts';
import { mailWriter } from './mail.ts';
import { publishingPolicies } from './policies.ts';
import { writerTranslator } from './readers.ts';
import { declinedNotice } from './templates.ts';

/** After `decline`: the editor's reply when they wrote one, else the publication's notice when it sends one. */
export async function mailDeclined(ctx: AppContext, trx: Trx, letter: Letter, reply: string | null): Promise<void> {
  if (reply) return mailDeclineReply(ctx, trx, letter, reply);
  if (!publishingPolicies(ctx.publication).declineNotice) return;
  await mailWriter(ctx, trx, letter, 'declined', () => declinedNotice({ t: writerTranslator(ctx.publication, letter), publicationName: ctx.publication.name, writerName: letter.name, notChosen: false }), { withdrawLink: false });
}

/** The editor's own reply to a declined letter, as they wrote it. */
async function mailDeclineReply(ctx: AppContext, trx: Trx, letter: Letter, reply: string): Promise<void> {
  const to = await writerAddress(ctx.db, trx, letter.writerId);
  if (!to) return;
  const t = writerTranslator(ctx.publication, letter);
  const mailId = await enqueueMail(ctx.db, trx, {
    letterId: letter.id,
    kind: 'decline',
    to: { address: to.email, name: letter.name },
    subject: t.t('mail.declined.subject', { publication: ctx.publication.name }),
    text: `${reply}\n\n${t.t('mail.signature', { publication: ctx.publication.name })}`,
    headers: deskHeaders({ inReplyTo: letter.messageId }),
    messageId: letterMessageId(letter.id, ctx.publication.lettersAddress),
  });
  await enqueueJob(ctx.db, trx, 'deliver_mail', { mailId });
}

/** Sends the "not chosen" notice for letters past the window; returns how many were sent. */
export async function sendNotChosenNotices(ctx: AppContext, now = new Date()): Promise<number> {
  const p = publishingPolicies(ctx.publication);
  if (!p.notChosenNotice) return 0;
  const ids = await waitingWithoutNotice(ctx.db, new Date(now.getTime() - p.notChosenDays * 86400_000), 'not_chosen', 100);
  let sent = 0;
  for (const id of ids) {
    await ctx.db.writes.run(async (trx) => {
      const letter = await findLetterById(ctx.db, id, trx);
      if (!letter || !['new', 'shortlisted'].includes(letter.status)) return;
      const mailId = await mailWriter(ctx, trx, letter, 'not_chosen', () => declinedNotice({ t: writerTranslator(ctx.publication, letter), publicationName: ctx.publication.name, writerName: letter.name, notChosen: true }), { withdrawLink: false });
      await recordEvent(ctx.db, trx, { letterId: id, actor: 'system:notices', action: 'notice_sent', data: { kind: 'not_chosen', mail: mailId } });
      sent++;
    });
  }
  return sent;
}
