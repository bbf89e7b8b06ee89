// Screening of a newly stored letter, run in the background so that intake
// stays fast: which article it is about (when it arrived without one), spam
// score, campaign and policy flags, through the screening pipeline. The
// verdict, the letter's campaign record and the campaign ids of letters it
// joined are written in one transaction; screening flags, editors decide.
import type { AppContext } from '../context.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { findLetterById, updateLetter, type Letter } from '../db/repositories/letters.ts';
import { appendCampaignRecord, hasCampaignRecord, letterDatesByVariant, lockScreening, relabelCampaign, saveLetterScreening } from '../db/repositories/screening.ts';
import { findWriterById } from '../db/repositories/writers.ts';
import { variantKey } from '../letters/writer-keys.ts';
import { DEFAULT_MATCH_THRESHOLD, matchArticle, type MatchResult } from '../matching/match.ts';
import { DEFAULT_PHASES, screen, type ScreeningLetter, type ScreeningPhase } from '../screening/pipeline.ts';
import type { AuthResult } from '../screening/spam.ts';
import { DEFAULT_SPAM_THRESHOLD } from '../screening/spam.ts';
import { articleIndex, campaignIndex, exclusively, forgetCampaigns, spamModel } from '../screening-store/state.ts';
import '../screening-store/learning.ts';
import { registerJob } from './runner.ts';

/** Flags this job owns: recomputed on every screening, other flags are kept. */
const SCREENING_FLAGS = new Set(['spam', 'campaign', 'over_word_limit', 'article_too_old', 'wrote_recently', 'not_exclusive', 'no_proof_of_work', 'too_long']);
const AUTH = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);
const DAY = 86_400_000;

type InboundMeta = { auth?: { spf?: string | null; dkim?: string | null; dmarc?: string | null }; date?: string | null };

export async function screenLetter(ctx: AppContext, letterId: string): Promise<void> {
  const { db } = ctx;
  const letter = await findLetterById(db, letterId);
  if (!letter) return;
  const writer = await findWriterById(db, letter.writerId);
  const policies = ctx.publication.policies;
  const inbound = ((letter.meta as { inbound?: InboundMeta }).inbound ?? null) as InboundMeta | null;

  await exclusively(db, async () => {
    const articles = await articleIndex(db);
    const match: MatchResult | null = letter.articleId
      ? null
      : matchArticle(articles.index, { subject: letter.subject, body: letter.body, receivedAt: writtenAt(letter, inbound) }, { threshold: policies.matchThreshold ?? DEFAULT_MATCH_THRESHOLD });
    const articleId = letter.articleId ?? match?.articleId ?? null;
    const article = articleId ? articles.index.get(articleId) : undefined;
    const previous = writer ? await letterDatesByVariant(db, variantKey(writer.email), letter.id, letter.createdAt) : [];
    const model = await spamModel(db);

    const screenLetter: ScreeningLetter = {
      id: letter.id,
      receivedAt: letter.createdAt,
      exclusive: letter.exclusive,
      subject: letter.subject,
      text: letter.body,
      from: writer?.email ?? null,
      auth: inbound?.auth ? { spf: auth(inbound.auth.spf), dkim: auth(inbound.auth.dkim), dmarc: auth(inbound.auth.dmarc) } : undefined,
      pow: letter.pow === 'verified' ? 'verified' : letter.pow === 'missing' ? 'missing' : null,
    };
    const trusted = [...articles.hosts];
    try {
      trusted.push(new URL(ctx.config.publicUrl).hostname);
    } catch {
      // no public URL: only the articles' hosts are trusted
    }

    try {
      await db.writes.run(async (trx) => {
        await lockScreening(db, trx, 'campaigns');
        const current = await findLetterById(db, letter.id, trx);
        if (!current) return;
        // A retried job must not add the letter twice; its campaign stands.
        const already = await hasCampaignRecord(trx, letter.id);
        const campaigns = await campaignIndex(db, trx);
        let merged: string[] = [];
        const verdict = screen({
          letter: screenLetter,
          article: article ? { id: article.id, publishedAt: article.publishedMs } : null,
          previousLetterDates: previous,
          settings: { ...policies, spamThreshold: policies.spamThreshold ?? DEFAULT_SPAM_THRESHOLD },
          spamModel: model,
          campaigns: already ? undefined : campaigns.index,
          ownAddresses: [ctx.publication.lettersAddress],
          trustedDomains: trusted,
        }, phasesKeeping((m) => (merged = m)));
        let campaignId = already ? current.campaignId : verdict.campaign;
        if (verdict.campaignRecord) campaigns.seq = await appendCampaignRecord(db, trx, letter.id, verdict.campaignRecord);
        // Letters this one linked to, and campaigns it joined together, now carry the surviving id.
        if (!already && verdict.campaign) await relabelCampaign(trx, verdict.campaign, [letter.id, ...verdict.similarTo.map((s) => s.letterId)], merged);

        const flags = current.flags.filter((f) => !SCREENING_FLAGS.has(f));
        for (const f of verdict.flags) if (!flags.includes(f)) flags.push(f);
        if (already && campaignId && !flags.includes('campaign')) flags.push('campaign');
        if (letter.pow === 'missing') flags.push('no_proof_of_work');
        // An editor may have assigned the article meanwhile: their choice stands.
        const assign = !current.articleId && match?.articleId ? { articleId: match.articleId, articleMethod: match.method, articleConfidence: match.confidence } : {};
        const spamScore = Math.round(verdict.spamScore * 1000) / 1000;
        await updateLetter(db, letter.id, { ...assign, spamScore, spamReasons: verdict.spamReasons, campaignId: campaignId ?? null, flags }, trx);
        await saveLetterScreening(db, trx, letter.id, {
          candidates: (match?.candidates ?? []).map((c) => ({ ...c, title: articles.index.get(c.articleId)?.title })),
          similarTo: verdict.similarTo,
          details: { matchConfidence: match?.confidence ?? null },
        });
        campaignId ??= null;
        await recordEvent(db, trx, {
          letterId: letter.id,
          actor: 'system:screening',
          action: 'screened',
          data: {
            article: 'articleId' in assign ? { id: match!.articleId, method: match!.method, confidence: match!.confidence } : null,
            spamScore,
            campaign: campaignId,
            flags,
          },
        });
      });
    } catch (err) {
      // The index may hold a letter whose record was not stored: rebuild it on next use.
      forgetCampaigns(db);
      throw err;
    }
  });
}

/** The default phases, with a campaign phase that also reports which campaigns the letter merged. */
function phasesKeeping(onMerged: (ids: string[]) => void): ScreeningPhase[] {
  const campaign: ScreeningPhase = {
    name: 'campaign',
    run(c) {
      if (!c.campaigns) return;
      const r = c.campaigns.add(c.letter.id, c.letter.text, new Date(c.letter.receivedAt));
      onMerged(r.merged);
      return { campaign: r.campaignId, similarTo: r.similarTo, campaignRecord: r.record, flags: r.campaignId ? ['campaign'] : [] };
    },
  };
  return DEFAULT_PHASES.map((p) => (p.name === 'campaign' ? campaign : p));
}

function auth(v: string | null | undefined): AuthResult | null {
  return v && AUTH.has(v) ? (v as AuthResult) : null;
}

/**
 * When the writer wrote: the mail's Date header when it is plausible (not
 * after arrival), else arrival. Article recency is measured from here, so a
 * letter delivered late still matches the piece it answered.
 */
function writtenAt(letter: Letter, inbound: InboundMeta | null): Date {
  const d = inbound?.date ? new Date(inbound.date) : null;
  if (!d || !Number.isFinite(d.getTime()) || d.getTime() > letter.createdAt.getTime() + DAY) return letter.createdAt;
  return d;
}

registerJob('screen_letter', async (ctx, payload) => screenLetter(ctx, String(payload.letterId)));
