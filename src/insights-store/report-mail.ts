// The weekly letters report by mail to the team (WEEKLY_REPORT_MAIL=on): on
// Monday from 07:00 UTC, the previous Monday-to-Sunday's report goes to every
// admin and editor, once, however many nodes check (the check and the
// queueing share one transaction, serialised by a lock on PostgreSQL).
import type { AppContext } from '../context.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { enqueueMail, mailQueuedBefore } from '../db/repositories/outbox.ts';
import { listUsers } from '../db/repositories/users.ts';
import { deskHeaders, letterMessageId } from '../outbox/compose.ts';
import { reportPeriod, reportText, reportTitle, weeklyReport } from './report.ts';

const DAY = 86_400_000;
export const WEEKLY_REPORT_KIND = 'weekly_report';
/** The lock that makes the check-then-queue one step across nodes (any fixed number of our own). */
const LOCK = 0x77656b6c;

/** Midnight UTC of the Monday of `d`'s week. */
function mondayOf(d: Date): Date {
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return new Date(midnight - ((d.getUTCDay() + 6) % 7) * DAY);
}

/** Queues this week's report mail when it is due and not yet sent; returns how many mails it queued. */
export async function mailWeeklyReport(ctx: AppContext, now = new Date()): Promise<number> {
  if (!ctx.config.weeklyReportMail) return 0;
  const thisMonday = mondayOf(now);
  if (now.getTime() < thisMonday.getTime() + 7 * 3600_000) return 0;
  const from = new Date(thisMonday.getTime() - 7 * DAY);
  const name = ctx.publication.name;
  // The subject names the week, so it says whether this week's report went
  // out: checked before the report is built (each hourly check after the
  // first finds it sent), and again under the lock.
  const subject = reportTitle(reportPeriod(from), name);
  if (await mailQueuedBefore(ctx.db.read, WEEKLY_REPORT_KIND, subject)) return 0;
  const team = (await listUsers(ctx.db)).filter((u) => (u.role === 'admin' || u.role === 'editor') && !u.disabledAt);
  if (!team.length) return 0;
  const text = reportText(await weeklyReport(ctx.db, from), name, `${ctx.config.publicUrl}/desk`);
  return ctx.db.writes.run(async (trx) => {
    await ctx.db.dialect.lockForTransaction(trx, LOCK);
    if (await mailQueuedBefore(trx, WEEKLY_REPORT_KIND, subject)) return 0;
    for (const u of team) {
      const mailId = await enqueueMail(ctx.db, trx, {
        letterId: null,
        kind: WEEKLY_REPORT_KIND,
        to: { address: u.email, name: u.name },
        subject,
        text,
        headers: deskHeaders({}),
        messageId: letterMessageId(null, ctx.publication.lettersAddress),
      });
      await enqueueJob(ctx.db, trx, 'deliver_mail', { mailId });
    }
    return team.length;
  });
}
