// Letters as the API shows them.
import type { Letter } from '../../../db/repositories/letters.ts';
import type { Writer } from '../../../db/repositories/writers.ts';
import type { LetterEvent } from '../../../db/repositories/events.ts';
import type { LetterScreening } from '../../../db/repositories/screening.ts';

function excerpt(text: string, words = 40): string {
  const w = text.split(/\s+/).filter(Boolean);
  return w.slice(0, words).join(' ') + (w.length > words ? ' …' : '');
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Screening's explanation of each flag the letter still carries (an editor may have cleared some). */
function flagReasons(l: Letter, s: LetterScreening | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, why] of Object.entries(s?.details ?? {})) if (typeof why === 'string' && l.flags.includes(flag)) out[flag] = why;
  return out;
}

export function presentSummary(l: Letter, w: Writer | undefined, s?: LetterScreening) {
  return {
    id: l.id,
    status: l.status,
    source: l.source,
    // Unmatched letters also carry the articles screening found most likely, offered in the unmatched tray.
    article: { id: l.articleId, confidence: l.articleConfidence, method: l.articleMethod, ...(l.articleId ? {} : { candidates: s?.candidates ?? [] }) },
    writer: { name: l.name, email: w?.email ?? '', town: l.town },
    subject: l.subject,
    excerpt: excerpt(l.body),
    wordCount: l.wordCount,
    screening: { spamScore: l.spamScore, spamReasons: l.spamReasons, campaign: l.campaignId, flags: l.flags, flagReasons: flagReasons(l, s), similarTo: s?.similarTo ?? [] },
    createdAt: l.createdAt.toISOString(),
  };
}

export function presentDetail(l: Letter, w: Writer, history: LetterEvent[], s?: LetterScreening) {
  return {
    ...presentSummary(l, w, s),
    body: l.body,
    original: l.original,
    editedBody: l.editedBody,
    headline: l.headline,
    displayName: l.displayName,
    // Whether the writer agreed to publication, and when: the form asks at once, a letter by email through a link (publishing/consent.ts).
    consent: { given: l.consentAt !== null, at: iso(l.consentAt) },
    exclusive: l.exclusive,
    pow: l.pow,
    assignedTo: l.assignedTo,
    confirmedAt: iso(l.confirmedAt),
    scheduledAt: iso(l.scheduledAt),
    publishedAt: iso(l.publishedAt),
    writer: { id: w.id, name: l.name, email: w.email, town: l.town, phone: w.phone, verifiedAt: iso(w.verifiedAt), verifiedHow: w.verifiedHow },
    history: history.map((e) => ({ at: e.createdAt.toISOString(), actor: e.actor, action: e.action, data: e.data })),
    // Letters by email: the received message (id, Message-ID, SPF/DKIM/DMARC, attachments); null for form letters.
    inbound: (l.meta as { inbound?: unknown }).inbound ?? null,
  };
}
