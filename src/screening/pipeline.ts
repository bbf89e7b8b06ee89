// Screening as one ordered list of small phases (phases/index.ts). Each phase
// looks at the letter, and at what earlier phases concluded, and returns its
// part of the verdict; the pipeline merges them. A phase reads what it needs
// beyond the letter through `ctx.read` (the article index, the learnt spam
// model, the campaign index, the writer's earlier letters), so the same list
// runs on a stored letter (src/screening-store/screen-letter.ts), at the
// mail door on a message that is not yet a letter (the phases marked
// `atDoor`), and in tests over in-memory state. Screening flags; editors decide.
import type { ArticleIndex } from '../matching/article-index.ts';
import type { MatchCandidate, MatchMethod } from '../matching/match.ts';
import type { CampaignIndex, CampaignRecord, SimilarLetter } from './campaigns.ts';
import type { PolicySettings } from './policy.ts';
import { DEFAULT_SPAM_THRESHOLD, spamVerdict, type AuthResult, type Evidence, type PowResult, type SpamModel } from './spam.ts';

/** The letter as screening sees it. */
export type ScreeningLetter = {
  id: string;
  receivedAt: Date;
  /** When the writer wrote (a mail's plausible Date header), else arrival: article recency counts from here. */
  writtenAt?: Date;
  subject?: string | null;
  /** The writer's text (for mail: the extracted letter, or the whole text at the door). */
  text: string;
  /** A mail's HTML part, when there is one (hidden text, link targets). */
  html?: string | null;
  from?: string | null;
  /** The writer's name as given. */
  name?: string | null;
  replyTo?: string | null;
  /** The article the letter came with (the form) or an editor chose; null: screening matches one. */
  articleId?: string | null;
  /** The writer promised the letter is exclusive to this publication. */
  exclusive?: boolean | null;
  /** SPF/DKIM/DMARC of a mail, when checked. */
  auth?: { spf?: AuthResult | null; dkim?: AuthResult | null; dmarc?: AuthResult | null };
  /** The web form's proof of work; null for mail. */
  pow?: PowResult | null;
  /** Other publications' letters addresses the mail was also sent to. */
  sentAlsoTo?: string[];
};

export type ScreeningSettings = PolicySettings & { spamThreshold?: number | null; matchThreshold?: number | null };

/** What phases may read beyond the letter; a reader left out means "not available here". */
export type ScreeningReads = {
  /** The articles letters can be about, and the hosts their links are trusted on. */
  articles?(): Promise<{ index: ArticleIndex; trustedHosts: readonly string[] }>;
  spamModel?(): Promise<SpamModel>;
  /** The campaign index to add the letter to; null when the letter is in it already (a retried screening). */
  campaigns?(): Promise<CampaignIndex | null>;
  /** When the same writer (any address variant) wrote before. */
  previousLetterDates?(): Promise<Date[]>;
};

export type ScreeningContext = {
  letter: ScreeningLetter;
  settings: ScreeningSettings;
  /** The desk's own addresses: mail claiming to come from them is forged. */
  ownAddresses: readonly string[];
  read: ScreeningReads;
};

export type ArticleFinding = {
  id: string | null;
  method: MatchMethod | null;
  confidence: number;
  publishedAt: Date | null;
  /** The most likely articles, strongest first (offered to editors when unmatched). */
  candidates: (MatchCandidate & { title?: string })[];
  /** True when screening found it (the letter came without one). */
  matched: boolean;
};

export type CampaignFinding = { id: string | null; similarTo: SimilarLetter[]; merged: string[]; record: CampaignRecord };

export type ScreeningVerdict = {
  article: ArticleFinding | null;
  /** Every spam check's evidence, in log-odds; the score is their sum through the logistic. */
  spamEvidence: Evidence[];
  spamScore: number;
  spamReasons: string[];
  /** Null when the letter was not added to the campaign index (a retry, or at the door). */
  campaign: CampaignFinding | null;
  flags: string[];
  /** Explanations for the desk, by flag or finding. */
  details: Record<string, string>;
};

export type PhaseResult = {
  article?: ArticleFinding;
  spamEvidence?: Evidence[];
  campaign?: CampaignFinding;
  flags?: string[];
  details?: Record<string, string>;
  /** Skip the remaining phases (the default phases never do). */
  stop?: boolean;
};

export type ScreeningPhase = {
  name: string;
  /** Also runs at the mail door, on a message before it is a letter (which needs its spam score to choose letter or tray). */
  atDoor?: boolean;
  run(ctx: ScreeningContext, sofar: Readonly<ScreeningVerdict>): PhaseResult | void | Promise<PhaseResult | void>;
};

/**
 * Runs the phases in order and merges their results: spam evidence and flags
 * accumulate, a finding (article, campaign) is the last phase's that gave
 * one. Then the spam score, and the `spam` flag at or above the threshold.
 * `door`: only the phases marked `atDoor`.
 */
export async function screen(ctx: ScreeningContext, phases: readonly ScreeningPhase[], opts: { door?: boolean } = {}): Promise<ScreeningVerdict> {
  const verdict: ScreeningVerdict = { article: null, spamEvidence: [], spamScore: 0, spamReasons: [], campaign: null, flags: [], details: {} };
  for (const phase of phases) {
    if (opts.door && !phase.atDoor) continue;
    const r = await phase.run(ctx, verdict);
    if (!r) continue;
    if (r.article) verdict.article = r.article;
    if (r.spamEvidence) verdict.spamEvidence.push(...r.spamEvidence);
    if (r.campaign) verdict.campaign = r.campaign;
    for (const f of r.flags ?? []) if (!verdict.flags.includes(f)) verdict.flags.push(f);
    Object.assign(verdict.details, r.details);
    if (r.stop) break;
  }
  const spam = spamVerdict(verdict.spamEvidence);
  verdict.spamScore = spam.score;
  verdict.spamReasons = spam.reasons;
  // First, as editors read it first.
  if (spam.score >= (ctx.settings.spamThreshold ?? DEFAULT_SPAM_THRESHOLD) && !verdict.flags.includes('spam')) verdict.flags.unshift('spam');
  return verdict;
}
