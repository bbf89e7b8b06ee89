// Writers hear back. When the publication turns it on (policy
// `declineNotice`), a declined letter gets a short courteous notice; with
// `notChosenNotice`, a letter still waiting after `notChosenDays` gets one too
// (once). Spam never gets an answer.
import type { AppContext } from '../context.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import { waitingWithoutNotice } from '../db/repositories/writer-mail.ts';
import { onAction } from '../letters/actions.ts';
import { startupHooks } from '../cli/startup-hooks.ts';
import { mailWriter } from './mail.ts';
import { publishingPolicies } from './policies.ts';
import { declinedNotice } from './templates.ts';

onAction('decline', async (ctx, trx, letter, input) => {
  if (!publishingPolicies(ctx.publication).declineNotice) return;
  // An editor who wrote the writer a reply has said it already: one mail, not two.
  if ('reply' in input && input.reply) return;
  await mailWriter(ctx, trx, letter, 'declined', () => declinedNotice({ publicationName: ctx.publication.name, writerName: letter.name, notChosen: false }), { withdrawLink: false });
});

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
      const mailId = await mailWriter(ctx, trx, letter, 'not_chosen', () => declinedNotice({ publicationName: ctx.publication.name, writerName: letter.name, notChosen: true }), { withdrawLink: false });
      await recordEvent(ctx.db, trx, { letterId: id, actor: 'system:notices', action: 'notice_sent', data: { kind: 'not_chosen', mail: mailId } });
      sent++;
    });
  }
  return sent;
}

startupHooks.push(async (ctx) => {
  const log = ctx.log.child({ component: 'notices' });
  const run = () => sendNotChosenNotices(ctx).catch((err) => log.error({ err }, 'not-chosen notices failed'));
  const timer = setInterval(run, 3600_000);
  timer.unref();
  return async () => clearInterval(timer);
});
