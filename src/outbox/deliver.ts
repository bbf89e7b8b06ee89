// Delivers outbox mail. With SMTP_URL set, through that relay (nodemailer);
// without it, the mail is kept in the outbox (readable by admins) and a line
// is logged without the body or the address. With DKIM_* set, each mail is
// DKIM-signed with the publication's key (dkim.ts).
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../context.ts';
import { claimMail, findMail, markMail } from '../db/repositories/outbox.ts';
import { dkimSigning } from './dkim.ts';

let transport: Transporter | null = null;
let transportUrl: string | null = null;

function transporter(url: string): Transporter {
  if (!transport || transportUrl !== url) {
    transport = nodemailer.createTransport(url);
    transportUrl = url;
  }
  return transport;
}

/** Delivers one mail; throws (so the job retries) when the relay refuses or is down. */
export async function deliverMail(ctx: AppContext, mailId: string): Promise<void> {
  const mail = await findMail(ctx.db, mailId);
  if (!mail || mail.status !== 'pending') return;
  // A claim guards against two nodes sending the same mail at once.
  if (!(await claimMail(ctx.db, mail.id, mail.attempts, new Date(Date.now() + 10 * 60_000)))) return;
  const log = ctx.log.child({ component: 'outbox' });
  if (!ctx.config.smtpUrl) {
    await markMail(ctx.db, mail.id, 'kept');
    log.info({ mail: mail.id, kind: mail.kind, letter: mail.letterId }, 'mail kept in the outbox (no SMTP_URL)');
    return;
  }
  try {
    await transporter(ctx.config.smtpUrl).sendMail({
      from: { name: `${ctx.publication.name} letters`, address: ctx.publication.lettersAddress },
      to: { name: mail.to.name ?? '', address: mail.to.address },
      subject: mail.subject,
      text: mail.text,
      messageId: mail.messageId,
      headers: mail.headers,
      dkim: dkimSigning(ctx.config),
    });
    await markMail(ctx.db, mail.id, 'sent');
    log.info({ mail: mail.id, kind: mail.kind, letter: mail.letterId }, 'mail sent');
  } catch (err) {
    const message = (err as Error).message;
    // Permanent refusals (5xx) are not retried; anything else is.
    const permanent = /^5\d\d/.test(String((err as { responseCode?: number }).responseCode ?? ''));
    await markMail(ctx.db, mail.id, permanent ? 'failed' : 'pending', { error: message, nextAttemptAt: new Date() });
    if (!permanent) throw err;
  }
}
