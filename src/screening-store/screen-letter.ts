// Screening a stored letter: load it, run the screening pipeline with this
// node's indexes (caught up with the database), store the verdict. Runs in
// the transaction the event processor gives it: the verdict, the campaign
// record, the campaign ids of the letters it joined and the `screened` event
// are committed together, or not at all.
import type { AppContext } from '../context.ts';
import type { Round } from '../db/round.ts';
import type { Reader, Trx } from '../db/executor.ts';
import { recordEvent } from '../db/repositories/events.ts';
import type { Letter } from '../db/repositories/letters.ts';
import { appendCampaignRecord, lettersWithCampaignRecord, latestEarlierLetterByVariant, lockScreening, saveLetterScreening } from '../db/repositories/screening.ts';
import { DEFAULT_SPAM_THRESHOLD, type AuthResult } from '../screening/spam.ts';
import { screen, type ScreeningLetter } from '../screening/pipeline.ts';
import { SCREENING_PHASES } from '../screening/phases/index.ts';
import { articleIndex, campaignIndex, spamModel } from './state.ts';

/** Flags screening owns: recomputed on every screening; other flags are kept. */
const SCREENING_FLAGS = new Set(['spam', 'campaign', 'over_word_limit', 'article_too_old', 'wrote_recently', 'not_exclusive', 'no_proof_of_work', 'too_long', 'active_markup']);
const AUTH = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);
const DAY = 86_400_000;

type InboundMeta = { auth?: { spf?: string | null; dkim?: string | null; dmarc?: string | null }; date?: string | null; otherPublications?: { address: string }[] };

/** Call within `exclusively` (state.ts): the in-memory indexes are used by one caller at a time. */
export async function screenLetter(ctx: AppContext, trx: Trx, letterId: string, round: Pick<Round, 'once' | 'writer' | 'lettersRows' | 'letter' | 'updateLetter' | 'relabelCampaign'>): Promise<void> {
  const { db } = ctx;
  await round.once('lock screening', () => lockScreening(db, trx, 'campaigns'));
  const letter = await round.letter(letterId);
  if (!letter) return;
  const writer = await round.writer(letter.writerId);
  const policies = ctx.publication.policies;
  const inbound = (letter.meta as { inbound?: InboundMeta }).inbound ?? null;
  // A retried screening must not add the letter to the campaign index twice: its campaign stands.
  const withRecord = await round.lettersRows('campaign records', letter.id, (ids) => lettersWithCampaignRecord(trx, ids));
  const recorded = withRecord.has(letter.id);
  const campaigns = recorded ? null : await campaignIndex(db, trx);

  const verdict = await screen(
    {
      letter: screeningLetterOf(letter, writer?.email ?? null, inbound),
      settings: { ...policies, spamThreshold: policies.spamThreshold ?? DEFAULT_SPAM_THRESHOLD },
      ownAddresses: [ctx.publication.lettersAddress],
      read: {
        articles: once(async () => {
          const a = await articleIndex(db, trx);
          return { index: a.index, trustedHosts: [...a.hosts, ...publicHost(ctx)] };
        }),
        spamModel: once(() => spamModel(db, trx)),
        campaigns: async () => campaigns?.index ?? null,
        // The rule needs only the latest of them.
        previousLetterDates: async () => {
          const latest = (await round.lettersRows('earlier letters', letter.id, (ids) => latestEarlierLetterByVariant(db, trx, ids))).get(letter.id);
          return latest ? [latest] : [];
        },
      },
    },
    SCREENING_PHASES,
  );

  const campaign = verdict.campaign;
  let campaignId = recorded ? letter.campaignId : (campaign?.id ?? null);
  if (campaign && campaigns) {
    await appendCampaignRecord(db, trx, letter.id, campaign.record, (seq) => {
      campaigns.seq = Math.max(campaigns.seq, seq);
    });
    withRecord.set(letter.id, true);
    // Letters this one linked to, and campaigns it joined together, now carry the surviving id.
    if (campaign.id) {
      await round.relabelCampaign({ campaignId: campaign.id, ids: [...new Set([letter.id, ...campaign.similarTo.map((s) => s.letterId)])], merged: campaign.merged });
    }
  }

  const flags = letter.flags.filter((f) => !SCREENING_FLAGS.has(f));
  for (const f of verdict.flags) if (!flags.includes(f)) flags.push(f);
  if (recorded && campaignId && !flags.includes('campaign')) flags.push('campaign');
  const found = verdict.article?.matched ? verdict.article : null;
  const assign = found ? { articleId: found.id, articleMethod: found.method, articleConfidence: found.confidence } : {};
  const spamScore = Math.round(verdict.spamScore * 1000) / 1000;
  await round.updateLetter(letter.id, { ...assign, spamScore, spamReasons: verdict.spamReasons, campaignId, flags });
  await saveLetterScreening(db, trx, letter.id, {
    candidates: verdict.article?.candidates ?? [],
    similarTo: campaign?.similarTo ?? [],
    details: { matchConfidence: letter.articleId ? null : (verdict.article?.confidence ?? null), ...verdict.details },
  });
  campaignId ??= null;
  await recordEvent(db, trx, {
    letterId: letter.id,
    actor: 'system:screening',
    action: 'screened',
    data: { article: found ? { id: found.id, method: found.method, confidence: found.confidence } : null, spamScore, campaign: campaignId, flags },
  });
}

function screeningLetterOf(letter: Letter, from: string | null, inbound: InboundMeta | null): ScreeningLetter {
  return {
    id: letter.id,
    receivedAt: letter.createdAt,
    writtenAt: writtenAt(letter, inbound),
    subject: letter.subject,
    text: letter.body,
    name: letter.name,
    from,
    articleId: letter.articleId,
    exclusive: letter.exclusive,
    auth: inbound?.auth ? { spf: auth(inbound.auth.spf), dkim: auth(inbound.auth.dkim), dmarc: auth(inbound.auth.dmarc) } : undefined,
    pow: letter.pow === 'verified' ? 'verified' : letter.pow === 'missing' ? 'missing' : null,
    sentAlsoTo: (inbound?.otherPublications ?? []).map((p) => p.address),
  };
}

/** Several phases read the same state: it is caught up once per screening. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= read());
}

function publicHost(ctx: AppContext): string[] {
  try {
    return [new URL(ctx.config.publicUrl).hostname];
  } catch {
    // no public URL: only the articles' hosts are trusted
    return [];
  }
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
