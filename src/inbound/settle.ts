// What a stored message becomes. Letters pass a spam check and go through
// the one door in (intakeLetter); replies to the desk's own mail are threaded
// onto the letter they answer; everything else goes to the system tray, and
// unreadable input to quarantine. Nothing here answers a message that is not
// a letter, or that is the desk's own mail coming back.
import type { AppContext } from '../context.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { insertInbound, settleInbound, type InboundKind, type InboundMessage, type InboundOutcome, type InboundStatus, type NewInbound, type ReadFields } from '../db/repositories/inbound.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import { detectLanguage } from '../i18n/detect.ts';
import { intakeLetter, IntakeRefused } from '../letters/intake.ts';
import { messageIds, publicationAddresses, type InboundResult } from '../mail/index.ts';
import { applyWriterReply } from '../publishing/approval.ts';
import { screen } from '../screening/pipeline.ts';
import { SCREENING_PHASES } from '../screening/phases/index.ts';
import type { AuthResult } from '../screening/spam.ts';
import { mailOptions } from './options.ts';

export type Settled = { id: string; kind: InboundKind | null; status: InboundStatus; letterId: string | null; reason: string };

export type SettleOptions = {
  acknowledge: boolean;
  /** An editor took this message out of the tray: it becomes a letter whatever the classifier said. */
  releasedBy?: string;
  /** classifyStored's decision on this row and reading, when the caller has just made it (receiving: screened once, not twice). */
  decided?: Decision;
  /**
   * The message of `row`, not stored yet: it is stored in the same commit as
   * its outcome (the letter, the reply, the tray), so that a message that
   * becomes a letter costs one commit, not two. Nothing is stored when settling fails.
   */
  unstored?: NewInbound;
  /** What reading the message said of it, when its row was stored before it was read (the SMTP spool): written with the outcome. */
  read?: ReadFields;
  /** The message's key as reading it gives it (sender and Message-ID), when its row was stored under another (the spool's, by its bytes): the letter is kept once by it. */
  dedupeKey?: string;
};

const AUTH_RESULTS = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);
const authResult = (v: string | null): AuthResult | null => (v && AUTH_RESULTS.has(v) ? (v as AuthResult) : null);

/** The decision alone: kind, status and why. */
export type Decision = { kind: InboundKind | null; status: InboundStatus; reason: string; spamScore: number | null; quarantineReason: string | null };

/**
 * What a message is. A message the mail layer reads as a letter first runs
 * the screening phases that apply at the door (spam rules, sender
 * authentication) on its whole text: spam goes to the tray, unanswered.
 */
export async function classifyStored(ctx: AppContext, row: Pick<InboundMessage, 'auth' | 'mailFrom'>, parsed: InboundResult): Promise<Decision> {
  if (!parsed.ok) return { kind: null, status: 'quarantined', reason: parsed.reason, spamScore: null, quarantineReason: parsed.reason };
  if (parsed.kind !== 'letter') return { kind: parsed.kind, status: 'tray', reason: parsed.reason, spamScore: null, quarantineReason: null };
  const verdict = await screen(
    {
      letter: {
        id: '',
        receivedAt: new Date(),
        subject: parsed.subject,
        text: parsed.original,
        from: parsed.from.address,
        auth: { spf: authResult(row.auth.spf), dkim: authResult(row.auth.dkim), dmarc: authResult(row.auth.dmarc) },
      },
      settings: ctx.publication.policies,
      ownAddresses: mailOptions(ctx).ownAddresses ?? [],
      read: {},
    },
    SCREENING_PHASES,
    { door: true },
  );
  const score = Math.round(verdict.spamScore * 1000) / 1000;
  if (verdict.flags.includes('spam')) return { kind: 'spam', status: 'tray', reason: `spam score ${score}: ${verdict.spamReasons.join('; ')}`.slice(0, 1000), spamScore: score, quarantineReason: null };
  if (parsed.ownMail) return { kind: 'letter', status: 'tray', reason: "the desk's own mail coming back (loop guard)", spamScore: score, quarantineReason: null };
  if (!(parsed.writer.email || row.mailFrom)) return { kind: 'letter', status: 'tray', reason: 'no sender address to credit or answer', spamScore: score, quarantineReason: null };
  if (!parsed.body.trim()) return { kind: 'letter', status: 'tray', reason: 'no readable text (the letter may be in an attachment the desk cannot read)', spamScore: score, quarantineReason: null };
  return { kind: 'letter', status: 'letter', reason: parsed.reason, spamScore: score, quarantineReason: null };
}

export async function settle(ctx: AppContext, row: InboundMessage, parsed: InboundResult, opts: SettleOptions): Promise<Settled> {
  const { db } = ctx;
  const classified = opts.decided ?? (await classifyStored(ctx, row, parsed));
  // A release overrides the classifier's verdict, but not the facts: mail
  // with no text or no sender still cannot be a letter.
  const releasable = opts.releasedBy && parsed.ok && parsed.body.trim() && (parsed.writer.email || row.mailFrom);
  const decided: Decision = releasable
    ? { ...classified, kind: 'letter', status: 'letter', reason: `released from the tray by ${opts.releasedBy} (was: ${classified.reason})`.slice(0, 1000) }
    : classified;
  const base: InboundOutcome = { ...decided, letterId: null };
  const done = async (o: InboundOutcome, work?: (trx: Trx) => Promise<void>): Promise<Settled> => {
    await db.writes.run(async (trx) => {
      if (opts.unstored) await insertInbound(db, trx, opts.unstored);
      if (work) await work(trx);
      await settleInbound(db, trx, row.id, { ...opts.read, ...o }, row.status);
    });
    return { id: row.id, kind: o.kind, status: o.status, letterId: o.letterId, reason: o.reason };
  };

  if (decided.status !== 'letter' || !parsed.ok) return done(base);

  // A reply to the desk's own mail about a letter that still exists: threaded onto it.
  const threaded = parsed.inReplyToLetterId ? await findLetterById(db, parsed.inReplyToLetterId) : null;
  if (threaded) {
    const settled = await done({ ...base, status: 'thread_reply', letterId: threaded.id, reason: 'reply to the desk about this letter' }, async (trx) => {
      await recordEvent(db, trx, {
        letterId: threaded.id,
        actor: 'writer:email',
        action: 'writer_reply',
        data: { text: parsed.body.slice(0, 20_000), inboundId: row.id, messageId: parsed.messageId, subject: parsed.subject },
      });
    });
    if (threaded.status === 'awaiting_approval') {
      const out = await applyWriterReply(ctx, threaded.id, parsed.body).catch((err: Error) => ({ ok: false, error: err.message }));
      if (!out.ok) ctx.log.warn({ letterId: threaded.id, inboundId: row.id, error: (out as { error?: string }).error }, 'writer reply not applied');
    }
    return settled;
  }

  const writerEmail = parsed.writer.email || row.mailFrom || '';
  const key = opts.dedupeKey ?? row.dedupeKey;
  try {
    const r = await intakeLetter(ctx, {
      source: 'email',
      article: null,
      // Name and town from the letter's sign-off when it has one (src/mail/signoff.ts), else the sender's name.
      writer: { name: parsed.writer.name || writerEmail.split('@')[0] || writerEmail, email: writerEmail, town: parsed.writer.town ?? null },
      subject: parsed.subject || null,
      body: parsed.body,
      original: parsed.original,
      // Consent to publication is asked for by a link in the acknowledgement
      // (publishing/consent.ts), as the form asks it; exclusivity is not known from mail.
      consent: false,
      exclusive: false,
      // The language the letter is written in: its writer is answered in it where the publication allows readers their own.
      language: detectLanguage(parsed.body),
      pow: 'none',
      dedupeKey: key.startsWith('msg:') ? key : `inbound:${row.id}`,
      messageId: parsed.messageId,
      replyTo: parsed.messageId ? { messageId: parsed.messageId, references: messageIds(parsed.references) } : null,
      acknowledge: opts.acknowledge && !parsed.ownMail,
      inbound: { id: row.id, reason: decided.reason, spamScore: decided.spamScore, ...(opts.unstored ? { message: opts.unstored } : {}), ...(opts.read ? { read: opts.read } : {}), expected: row.status },
      meta: {
        inbound: {
          id: row.id,
          messageId: parsed.messageId,
          // The Date header: screening measures article recency from when the writer wrote.
          date: parsed.date,
          auth: opts.read?.auth ?? row.auth,
          attachments: parsed.attachments,
          fromAttachment: parsed.fromAttachment ?? null,
          // Other publications' letters addresses in To or Cc: the letter is not theirs alone.
          otherPublications: publicationAddresses(parsed.otherRecipients),
          // A forwarded letter: who forwarded it, and what they wrote above it.
          forwardedBy: parsed.forwardedBy ?? null,
          coveringNote: parsed.coveringNote ?? null,
          warnings: parsed.warnings.slice(0, 20),
          reason: decided.reason,
          spamScore: decided.spamScore,
        },
      },
      actor: opts.releasedBy ?? 'system:email',
    });
    // A new letter settled its message inside intake's own transaction; an earlier one did not.
    if (r.duplicate) return done({ ...base, status: 'letter', letterId: r.letter.id });
    return { id: row.id, kind: 'letter', status: 'letter', letterId: r.letter.id, reason: decided.reason };
  } catch (err) {
    if (err instanceof IntakeRefused) return done({ ...base, status: 'tray', reason: `not taken in: ${err.message}` });
    throw err;
  }
}
