// The retention policy (docs/privacy.md): once a day each node removes what
// is past its time, as the settings say (config.retention; null keeps a
// thing for ever), and logs what it removed. Removal is idempotent, so
// several nodes running it over one database only share the work.
import type { Retention } from '../config/index.ts';
import type { AppContext } from '../context.ts';
import { pruneSpentPow } from '../db/repositories/pow.ts';
import { deleteDeclinedLetters, deleteExpiredSessions, deleteFinishedJobs, deleteTrayMail, pruneRawMail } from '../db/repositories/retention.ts';

export type RetentionReport = { declinedLetters: number; rawMail: number; trayMail: number; finishedJobs: number; expiredSessions: number; spentProofOfWork: number };

const DAY_MS = 86_400_000;

/** Applies the policy as of `now`; returns how many of each it removed. */
export async function applyRetention(ctx: AppContext, policy: Retention = ctx.config.retention, now = new Date()): Promise<RetentionReport> {
  const before = (days: number | null) => (days === null ? null : new Date(now.getTime() - days * DAY_MS));
  const run = async (days: number | null, remove: (cutoff: Date) => Promise<number>) => {
    const cutoff = before(days);
    return cutoff ? remove(cutoff) : 0;
  };
  const report: RetentionReport = {
    declinedLetters: await run(policy.declinedDays, (c) => deleteDeclinedLetters(ctx.db, c)),
    rawMail: await run(policy.rawMailDays, (c) => pruneRawMail(ctx.db, c)),
    trayMail: await run(policy.trayDays, (c) => deleteTrayMail(ctx.db, c)),
    finishedJobs: await run(policy.jobsDays, (c) => deleteFinishedJobs(ctx.db, c)),
    expiredSessions: await run(policy.expiredDays, (c) => deleteExpiredSessions(ctx.db, c)),
    spentProofOfWork: await run(policy.expiredDays, (c) => pruneSpentPow(ctx.db, c)),
  };
  for (const [what, n] of Object.entries(report)) if (n) ctx.metrics.retentionRemoved.inc({ what }, n);
  ctx.log.info({ component: 'retention', ...report }, 'retention applied');
  return report;
}
