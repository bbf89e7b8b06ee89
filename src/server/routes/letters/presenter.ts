// Letters as the API shows them.
import type { Letter } from '../../../db/repositories/letters.ts';
import type { Writer } from '../../../db/repositories/writers.ts';
import type { LetterEvent } from '../../../db/repositories/events.ts';
import type { LetterScreening } from '../../../db/repositories/screening.ts';
import { allowedActions, type Actor, type Status } from '../../../letters/lifecycle.ts';
import { factsOf } from '../../../letters/actions.ts';
import type { MatchMethod } from '../../../matching/match.ts';
import type { LetterDetail, LetterSummary, PageCampaign } from './schema.ts';
import type { NamingLetter } from '../../../db/repositories/desk-queue.ts';
import type { LetterInsight } from '../../../db/repositories/insights.ts';

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

/** The caller's actions on the letter now: the lifecycle's rules (`decide`), the same ones the actions route applies. */
function actionsFor(l: Letter, actor: Actor | null) {
  return actor ? allowedActions(l.status as Status, actor, l.id, factsOf(l)) : [];
}

function presentInsight(l: Letter, i: LetterInsight | undefined) {
  // An insight read for another article (the letter moved since) is not shown.
  if (!i || i.articleId !== l.articleId) return null;
  const stance: 'agree' | 'disagree' | 'mixed' | null = i.stance === 'agree' || i.stance === 'disagree' || i.stance === 'mixed' ? i.stance : null;
  return { theme: i.themeId, themeName: i.themeName, themeSource: i.themeSource, stance, stanceConfidence: i.stanceConfidence, source: i.stanceSource };
}

export function presentSummary(l: Letter, w: Writer | undefined, s: LetterScreening | undefined, i: LetterInsight | undefined, actor: Actor | null, articleTitle: string | null): LetterSummary {
  return {
    id: l.id,
    status: l.status as Status,
    source: l.source,
    // Unmatched letters also carry the articles screening found most likely, offered in the unmatched tray.
    article: { id: l.articleId, title: l.articleId ? articleTitle : null, confidence: l.articleConfidence, method: l.articleMethod as MatchMethod | null, ...(l.articleId ? {} : { candidates: (s?.candidates ?? []) as LetterSummary['article']['candidates'] }) },
    writer: { name: l.name, email: w?.email ?? '', town: l.town },
    subject: l.subject,
    excerpt: excerpt(l.body),
    wordCount: l.wordCount,
    screening: { spamScore: l.spamScore, spamReasons: l.spamReasons, campaign: l.campaignId, flags: l.flags, flagReasons: flagReasons(l, s), similarTo: s?.similarTo ?? [] },
    insight: presentInsight(l, i),
    createdAt: l.createdAt.toISOString(),
    version: l.version,
    allowedActions: actionsFor(l, actor),
  };
}

export function presentDetail(l: Letter, w: Writer, history: LetterEvent[], s: LetterScreening | undefined, i: LetterInsight | undefined, actor: Actor | null, articleTitle: string | null): LetterDetail {
  return {
    ...presentSummary(l, w, s, i, actor, articleTitle),
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
    inbound: ((l.meta as { inbound?: unknown }).inbound ?? null) as LetterDetail['inbound'],
  };
}

/** A campaign's name: its first letter's subject, or its first eight words (a word the text read cuts off is left out). */
export function campaignName(first: NamingLetter | null | undefined): string {
  if (!first) return 'Campaign';
  if (first.subject?.trim()) return first.subject.trim();
  const words = first.start.split(/\s+/).filter(Boolean);
  if (first.cut && !/\s$/.test(first.start)) words.pop();
  return words.slice(0, 8).join(' ') + (words.length > 8 || first.cut ? ' …' : '');
}

export function presentPageCampaign(id: string, c: { first: NamingLetter | null; byStatus: Record<string, number> }): PageCampaign {
  return { id, name: campaignName(c.first), total: Object.values(c.byStatus).reduce((a, b) => a + b, 0), byStatus: c.byStatus };
}
