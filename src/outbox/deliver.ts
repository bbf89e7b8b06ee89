// Delivers outbox mail. With SMTP_URL set, through that relay (nodemailer);
// without it, the mail is kept in the outbox (readable by admins) and a line
// is logged without the body or the address. With DKIM_* set, each mail is
// DKIM-signed with the publication's key (dkim.ts).
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { AppContext } from '../context.ts';
import { claimMail, findMail, keepMail, markMail, markMailSent, markUncertain, releaseForResend } from '../db/repositories/outbox.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { dkimSigning } from './dkim.ts';

/**
 * How long a node may take over one send before others treat it as gone.
 * Longer than the transport's own time limits together (below), so that a
 * live node always finishes or fails first.
 */
const SEND_LEASE_MS = 10 * 60_000;
/** The relay's time limits: connect, greeting, and silence on the socket. */
const TRANSPORT_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 120_000 };

let transport: Transporter | null = null;
let transportUrl: string | null = null;

function transporter(url: string): Transporter {
  if (!transport || transportUrl !== url) {
    transport = nodemailer.createTransport({ url, ...TRANSPORT_TIMEOUTS });
    transportUrl = url;
  }
  return transport;
}

/**
 * Delivers one mail, at most once: it is claimed (`sending`, committed)
 * before the relay is contacted, and a mail found `sending` past its lease,
 * whose node stopped before it could record the relay's answer, becomes
 * `uncertain` rather than sent again. Throws (so the job retries) when the
 * relay is down or refuses for now, or while another node's lease runs.
 */
export async function deliverMail(ctx: AppContext, mailId: string): Promise<void> {
  const log = ctx.log.child({ component: 'outbox' });
  const relay = ctx.config.smtpUrl;
  // The usual path is one statement: the claim (or, with no relay, the keeping) returns the mail.
  if (!relay) {
    const kept = await keepMail(ctx.db, mailId);
    if (!kept) return notTaken(ctx, mailId, log);
    ctx.metrics.mailOut.inc({ outcome: 'kept' });
    log.info({ mail: kept.id, kind: kept.kind, letter: kept.letterId }, 'mail kept in the outbox (no SMTP_URL)');
    return;
  }
  const mail = await claimMail(ctx.db, mailId, SEND_LEASE_MS);
  if (!mail) return notTaken(ctx, mailId, log);
  try {
    await transporter(relay).sendMail({
      from: { name: `${ctx.publication.name} letters`, address: ctx.publication.lettersAddress },
      to: { name: mail.to.name ?? '', address: mail.to.address },
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      headers: mail.headers,
      dkim: dkimSigning(ctx.config),
    });
  } catch (err) {
    const message = (err as Error).message;
    // Permanent refusals (5xx) are not retried; anything else is.
    const permanent = /^5\d\d/.test(String((err as { responseCode?: number }).responseCode ?? ''));
    await markMail(ctx.db, mail.id, permanent ? 'failed' : 'pending', { error: message, nextAttemptAt: new Date() });
    ctx.metrics.mailOut.inc({ outcome: permanent ? 'failed' : 'retry' });
    if (!permanent) throw err;
    return;
  }
  // The relay took it. Should this mark fail (it goes in with others'), it
  // is tried again a few times; then the mail stays `sending` and becomes
  // uncertain after its lease, for an admin to judge: never pending, which
  // would send it again.
  await markSent(ctx, mail.id);
  ctx.metrics.mailOut.inc({ outcome: 'sent' });
  log.info({ mail: mail.id, kind: mail.kind, letter: mail.letterId }, 'mail sent');
}

/** Tries to mark a sent mail three times, a second apart, before giving up (a dropped connection, a lock timed out). */
async function markSent(ctx: AppContext, mailId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await markMailSent(ctx.db, mailId);
    } catch (err) {
      if (attempt >= MARK_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
const MARK_ATTEMPTS = 3;

/** A mail this node could not take: gone, done, not due yet, or being sent by a node that may have stopped. */
async function notTaken(ctx: AppContext, mailId: string, log: Logger): Promise<void> {
  const mail = await findMail(ctx.db, mailId);
  if (mail?.status !== 'sending') return;
  if (mail.nextAttemptAt.getTime() > Date.now()) throw new Error('another node is sending this mail; its outcome is checked later');
  if (await markUncertain(ctx.db, mail.id)) {
    ctx.metrics.mailOut.inc({ outcome: 'uncertain' });
    log.warn({ mail: mail.id, kind: mail.kind, letter: mail.letterId }, 'mail left uncertain: its node stopped mid-send; not sent again');
  }
}

/** An admin sends an uncertain or failed mail again; false when the mail is neither. */
export async function resendMail(ctx: AppContext, mailId: string): Promise<boolean> {
  return ctx.db.writes.run(async (trx) => {
    if (!(await releaseForResend(ctx.db, trx, mailId))) return false;
    await enqueueJob(ctx.db, trx, 'deliver_mail', { mailId });
    return true;
  });
}
