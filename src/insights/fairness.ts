// Is the published selection fair to what came in? A plain comparison of
// the stance and theme shares among received voices with those among the
// published letters, as figures and sentences an editor can read at a
// glance ("Published: 4 of 5 agree. Received: 31% agree."). It judges
// nothing: it shows where the two differ most.

import { STANCES, type Stance } from './types.ts';

export interface FairnessLetter {
  id: string;
  stance?: Stance | null;
  /** Theme id (or null when the letter is under no theme). */
  themeId?: string | null;
  campaignId?: string | null;
}

export interface FairnessInput {
  received: FairnessLetter[];
  /** Ids of the published letters (a subset of the received ones). */
  publishedIds: string[];
  /** Theme id -> label, for the sentences. */
  themeLabels?: Record<string, string>;
}

export interface Share {
  key: string;
  label: string;
  received: number;
  receivedShare: number;
  published: number;
  publishedShare: number;
  /** publishedShare - receivedShare, in percentage points. */
  gap: number;
}

export interface FairnessReport {
  receivedVoices: number;
  published: number;
  stance: Share[];
  themes: Share[];
  /** Plain-language comparison, most telling first. */
  sentences: string[];
  /** Largest absolute gap in points (stance or theme); 0 when nothing to compare. */
  largestGap: number;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function compareFairness(input: FairnessInput): FairnessReport {
  const published = new Set(input?.publishedIds ?? []);
  // Received: voices (a campaign counts once). Published: letters as printed.
  const seenCampaign = new Set<string>();
  const receivedVoices: FairnessLetter[] = [];
  const pub: FairnessLetter[] = [];
  const seenIds = new Set<string>();
  for (const l of input?.received ?? []) {
    if (!l || seenIds.has(l.id)) continue;
    seenIds.add(l.id);
    if (published.has(l.id)) pub.push(l);
    const c = l.campaignId;
    if (c) {
      if (seenCampaign.has(c)) continue;
      seenCampaign.add(c);
    }
    receivedVoices.push(l);
  }
  const shares = (keys: string[], keyOf: (l: FairnessLetter) => string | null, labelOf: (k: string) => string): Share[] => {
    const rv = receivedVoices.filter((l) => keyOf(l) !== null);
    const pv = pub.filter((l) => keyOf(l) !== null);
    return keys.map((k) => {
      const r = rv.filter((l) => keyOf(l) === k).length;
      const p = pv.filter((l) => keyOf(l) === k).length;
      const rs = rv.length ? r / rv.length : 0;
      const ps = pv.length ? p / pv.length : 0;
      return { key: k, label: labelOf(k), received: r, receivedShare: round(rs), published: p, publishedShare: round(ps), gap: Math.round((ps - rs) * 100) };
    });
  };
  const stance = shares([...STANCES], (l) => (l.stance && STANCES.includes(l.stance) ? l.stance : null), (k) => k);
  const themeKeys = [...new Set(receivedVoices.map((l) => l.themeId).filter((t): t is string => !!t))];
  const labels = input?.themeLabels ?? {};
  const themes = shares(themeKeys, (l) => l.themeId ?? null, (k) => labels[k] ?? k).sort((a, b) => b.received - a.received);

  const sentences: string[] = [];
  const stancedPub = pub.filter((l) => l.stance).length;
  if (!receivedVoices.length) sentences.push('No letters received yet.');
  else if (!pub.length) sentences.push(`Nothing published yet from ${receivedVoices.length} ${receivedVoices.length === 1 ? 'voice' : 'voices'} received.`);
  else {
    const ranked = [...stance].sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap));
    for (const s of ranked) {
      if (!s.received && !s.published) continue;
      sentences.push(`Published: ${s.published} of ${stancedPub} ${verb(s.key as Stance, s.published)}; received: ${pct(s.receivedShare)} ${verb(s.key as Stance, 2)}.`);
    }
    for (const t of themes.filter((t) => Math.abs(t.gap) >= 15).sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap)).slice(0, 3)) {
      sentences.push(
        t.published === 0
          ? `"${t.label}" is ${pct(t.receivedShare)} of the voices received and none of the letters published.`
          : `"${t.label}": ${pct(t.publishedShare)} of the published letters, ${pct(t.receivedShare)} of the voices received.`,
      );
    }
  }
  const largestGap = Math.max(0, ...stance.map((s) => Math.abs(s.gap)), ...themes.map((t) => Math.abs(t.gap)));
  return { receivedVoices: receivedVoices.length, published: pub.length, stance, themes, sentences, largestGap: pub.length ? largestGap : 0 };
}

function verb(s: Stance, n: number): string {
  if (s === 'mixed') return n === 1 ? 'is mixed' : 'are mixed';
  return n === 1 ? `${s}s` : s;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
