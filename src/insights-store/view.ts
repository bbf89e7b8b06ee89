// What the desk and the API show of an article's insights: the figures from
// the letters (per day, door, status, campaigns), voices, the stance split,
// the lines of argument as they stand now (the stored grouping's themes with
// the letters placed in them since, each theme's stance split over voices
// and its representatives still in it) and the fairness comparison of what
// was published with what came in.
import type { Db } from '../db/connect.ts';
import type { Article } from '../db/repositories/articles.ts';
import { articleInsights, articleLetterInsights, firstLetterOfWriters, insightsStamp } from '../db/repositories/insights.ts';
import { compareFairness, STANCES, voiceCount, type Stance, type StanceCounts } from '../insights/index.ts';
import { readState } from './state.ts';

const TOP_CAMPAIGNS = 10;
const EXCERPT_CHARS = 300;

type Member = Awaited<ReturnType<typeof articleLetterInsights>>[number];

const isStance = (s: string | null): s is Stance => !!s && (STANCES as readonly string[]).includes(s);

/** Stance split over voices: a campaign counts once, with the stance of its first letter here. */
export function stanceOverVoices(letters: { campaignId: string | null; stance: string | null }[]): StanceCounts {
  const out: StanceCounts = { agree: 0, disagree: 0, mixed: 0 };
  const seen = new Set<string>();
  for (const l of letters) {
    if (l.campaignId) {
      if (seen.has(l.campaignId)) continue;
      seen.add(l.campaignId);
    }
    if (isStance(l.stance)) out[l.stance]++;
  }
  return out;
}

export function excerpt(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS - 1)}…` : t;
}

// The page as JSON, per article, with the stamp it was built at: served
// again while the stamp holds (the page is read far more often than letters
// arrive). A minute at most, for what the stamp does not see (an article's
// new title, a campaign merged without a new letter).
const CACHE_MS = 60_000;
const MAX_CACHED = 100;
const pages = new Map<string, { stamp: string; at: number; json: string }>();

/** The insights page as JSON text, from this process's cache while nothing it shows has changed. */
export async function articleInsightsJson(db: Db, article: Article): Promise<string> {
  const stamp = await insightsStamp(db, article.id);
  const hit = pages.get(article.id);
  if (hit && hit.stamp === stamp && Date.now() - hit.at < CACHE_MS) return hit.json;
  const json = JSON.stringify(await articleInsightsView(db, article));
  pages.delete(article.id);
  pages.set(article.id, { stamp, at: Date.now(), json });
  if (pages.size > MAX_CACHED) pages.delete(pages.keys().next().value!);
  return json;
}

export async function articleInsightsView(db: Db, article: Article) {
  const [figures, state, letters] = await Promise.all([articleInsights(db, article.id), readState(db, article.id), articleLetterInsights(db, article.id)]);
  const set = state?.themes ?? null;
  const byTheme = new Map<string, Member[]>();
  for (const l of letters) {
    if (!l.themeId) continue;
    let m = byTheme.get(l.themeId);
    if (!m) byTheme.set(l.themeId, (m = []));
    m.push(l);
  }
  const themes = (set?.themes ?? [])
    .map((t) => {
      const members = byTheme.get(t.id) ?? [];
      const ids = new Set(members.map((m) => m.letterId));
      return {
        id: t.id,
        label: t.label,
        named: t.name !== null,
        phrases: t.phrases,
        letters: members.length,
        voices: voiceCount(members).voices,
        stance: stanceOverVoices(members),
        representatives: t.representatives.filter((r) => ids.has(r.letterId)).map((r) => ({ letterId: r.letterId, excerpt: excerpt(r.sentence) })),
        letterIds: members.map((m) => m.letterId),
      };
    })
    .filter((t) => t.letters > 0)
    .sort((a, b) => b.voices - a.voices || b.letters - a.letters || (a.id < b.id ? -1 : 1));
  // Letters an editor filed under a name the next grouping has not made a theme of yet.
  const pending = new Map<string, string[]>();
  for (const l of letters) if (!l.themeId && l.themeName) pending.set(l.themeName, [...(pending.get(l.themeName) ?? []), l.letterId]);

  const voices = voiceCount(letters);
  const labels = Object.fromEntries(themes.map((t) => [t.id, t.label]));
  const published = letters.filter((l) => l.status === 'published');
  const fairness = compareFairness({
    received: letters.map((l) => ({ id: l.letterId, stance: isStance(l.stance) ? l.stance : null, themeId: l.themeId, campaignId: l.campaignId })),
    publishedIds: published.map((l) => l.letterId),
    themeLabels: labels,
  });
  const newcomers = await firstTimeShares(db, letters, published);
  const inCampaigns = figures.campaigns.reduce((a, c) => a + c.letters, 0);
  const status = letters.length === 0 ? 'no-letters' : !set ? 'not-grouped' : set.status;
  const message =
    status === 'no-letters' ? 'No letters yet.' : status === 'not-grouped' ? 'The letters have not been grouped yet; grouping is queued.' : status === 'grouped' && themes.length === 0 ? 'Too few letters to group.' : set!.message;
  return {
    article: { id: article.id, title: article.title },
    letters: figures.total,
    byStatus: figures.byStatus,
    byDoor: figures.bySource,
    perDay: figures.perDay,
    campaignShare: figures.total ? Math.round((inCampaigns / figures.total) * 1000) / 1000 : 0,
    topCampaigns: figures.campaigns.slice(0, TOP_CAMPAIGNS).map((c) => ({ id: c.campaignId, letters: c.letters })),
    voices: voices.voices,
    voiceCount: voices,
    stance: stanceOverVoices(letters),
    grouping: { status, message, groupedAt: state?.groupedAt?.toISOString() ?? null, groupedLetters: state?.groupedLetters ?? 0, queued: !!state?.jobId },
    themes,
    pendingThemes: [...pending].map(([name, letterIds]) => ({ name, letterIds })),
    unassigned: letters.filter((l) => !l.themeId && !l.themeName).length,
    fairness: {
      published: fairness.published,
      receivedVoices: fairness.receivedVoices,
      stance: fairness.stance,
      themes: fairness.themes,
      sentences: [...fairness.sentences, ...newcomers.sentences],
      firstTime: newcomers.shares,
      largestGap: fairness.largestGap,
    },
    note: 'Stance and themes are estimates made from the letters’ words; editors correct them by teaching.',
  };
}

/** First-time writers (their first letter to the desk) among the voices received and the letters published. */
async function firstTimeShares(db: Db, received: Member[], published: Member[]) {
  const firsts = await firstLetterOfWriters(db, [...new Set(received.map((l) => l.writerId))]);
  const seen = new Set<string>();
  const voices = received.filter((l) => !l.campaignId || (!seen.has(l.campaignId) && seen.add(l.campaignId)));
  const share = (ls: Member[]) => (ls.length ? Math.round((ls.filter((l) => firsts.get(l.writerId) === l.letterId).length / ls.length) * 1000) / 1000 : 0);
  const shares = { received: share(voices), published: share(published) };
  const sentences = published.length && voices.length ? [`First-time writers: ${Math.round(shares.published * 100)}% of the letters published, ${Math.round(shares.received * 100)}% of the voices received.`] : [];
  return { shares, sentences };
}
