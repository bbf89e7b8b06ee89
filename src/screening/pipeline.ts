// Screening as an ordered list of small phases. Each phase looks at the
// letter (and at what earlier phases concluded) and returns a partial
// verdict; the pipeline merges them. New checks are new phases, and a
// publication can run its own list. A phase may stop the pipeline (e.g. a
// later phase is pointless for a message already judged), but the default
// phases never do: screening flags, editors decide.

import type { CampaignIndex, CampaignRecord, SimilarLetter } from './campaigns.ts';
import { checkPolicy, type PolicySettings } from './policy.ts';
import { DEFAULT_SPAM_THRESHOLD, scoreSpam, type SpamInput, type SpamModel } from './spam.ts';

export interface ScreeningLetter extends Omit<SpamInput, 'ownAddresses' | 'trustedDomains'> {
  id: string;
  receivedAt: Date | string | number;
  /** Exclusivity consent from the form or confirmation step. */
  exclusive?: boolean | null;
}

export interface ScreeningContext {
  letter: ScreeningLetter;
  /** The matched article, if any. */
  article?: { id: string; publishedAt?: Date | string | number | null } | null;
  /** Dates of the same writer's earlier letters (normaliseEmail key). */
  previousLetterDates?: (Date | string | number)[];
  settings?: PolicySettings & { spamThreshold?: number };
  spamModel?: SpamModel;
  /** When given, the letter is added to it (and the record returned to be stored). */
  campaigns?: CampaignIndex;
  ownAddresses?: string[];
  trustedDomains?: string[];
}

export interface ScreeningVerdict {
  spamScore: number;
  spamReasons: string[];
  campaign: string | null;
  similarTo: SimilarLetter[];
  /** Campaign index record to persist (see CampaignStore). */
  campaignRecord: CampaignRecord | null;
  flags: string[];
}

export interface PhaseResult extends Partial<ScreeningVerdict> {
  /** Skip the remaining phases. */
  stop?: boolean;
}

export interface ScreeningPhase {
  name: string;
  run(ctx: ScreeningContext, sofar: Readonly<ScreeningVerdict>): PhaseResult | void;
}

export const spamPhase: ScreeningPhase = {
  name: 'spam',
  run(ctx) {
    const { id: _id, receivedAt: _r, exclusive: _e, ...input } = ctx.letter;
    const v = scoreSpam(
      { ...input, ownAddresses: ctx.ownAddresses, trustedDomains: ctx.trustedDomains },
      ctx.spamModel,
    );
    const threshold = ctx.settings?.spamThreshold ?? DEFAULT_SPAM_THRESHOLD;
    return { spamScore: v.score, spamReasons: v.reasons, flags: v.score >= threshold ? ['spam'] : [] };
  },
};

export const campaignPhase: ScreeningPhase = {
  name: 'campaign',
  run(ctx) {
    if (!ctx.campaigns) return;
    const r = ctx.campaigns.add(ctx.letter.id, ctx.letter.text, new Date(ctx.letter.receivedAt));
    return {
      campaign: r.campaignId,
      similarTo: r.similarTo,
      campaignRecord: r.record,
      flags: r.campaignId ? ['campaign'] : [],
    };
  },
};

export const policyPhase: ScreeningPhase = {
  name: 'policy',
  run(ctx) {
    if (!ctx.settings) return;
    const p = checkPolicy(ctx.settings, {
      body: ctx.letter.text,
      receivedAt: ctx.letter.receivedAt,
      articlePublishedAt: ctx.article?.publishedAt ?? null,
      previousLetterDates: ctx.previousLetterDates,
      exclusive: ctx.letter.exclusive,
    });
    return { flags: p.flags };
  },
};

export const DEFAULT_PHASES: readonly ScreeningPhase[] = [spamPhase, campaignPhase, policyPhase];

export function screen(ctx: ScreeningContext, phases: readonly ScreeningPhase[] = DEFAULT_PHASES): ScreeningVerdict {
  const verdict: ScreeningVerdict = {
    spamScore: 0,
    spamReasons: [],
    campaign: null,
    similarTo: [],
    campaignRecord: null,
    flags: [],
  };
  for (const phase of phases) {
    const r = phase.run(ctx, verdict);
    if (!r) continue;
    // Scores take the strongest opinion; lists accumulate; single values: last phase wins.
    if (r.spamScore !== undefined) verdict.spamScore = Math.max(verdict.spamScore, r.spamScore);
    if (r.spamReasons) verdict.spamReasons.push(...r.spamReasons);
    if (r.campaign !== undefined) verdict.campaign = r.campaign;
    if (r.similarTo) verdict.similarTo = r.similarTo;
    if (r.campaignRecord !== undefined) verdict.campaignRecord = r.campaignRecord;
    for (const f of r.flags ?? []) if (!verdict.flags.includes(f)) verdict.flags.push(f);
    if (r.stop) break;
  }
  return verdict;
}
