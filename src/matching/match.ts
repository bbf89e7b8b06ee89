// Which article is a letter about? Evidence is tried from strongest to
// weakest: the form's own article, a link to the article, the headline in the
// subject or the text, and finally text similarity to recent articles. Links
// and headlines work in any language; similarity uses language-light stems.

import type { ArticleIndex, IndexedArticle } from './article-index.ts';
import { extractUrls } from './url.ts';
import { STOPWORDS, stem, terms, words } from './text.ts';

export type MatchMethod = 'form' | 'url' | 'headline' | 'similarity' | 'editor';

export interface MatchCandidate {
  articleId: string;
  method: MatchMethod;
  confidence: number;
}

export interface MatchResult {
  /** null when nothing reached the threshold: the letter goes to the "unmatched" tray. */
  articleId: string | null;
  method: MatchMethod | null;
  confidence: number;
  /** Best candidates, strongest first (also when unmatched, for the editor to pick from). */
  candidates: MatchCandidate[];
}

export interface LetterToMatch {
  subject?: string | null;
  /** The writer's own text (quotes and signatures already removed). */
  body: string;
  /** When the letter arrived; recency is measured from here. Default: now. */
  receivedAt?: Date | string | number | null;
  /** Article given by the web form (id). */
  formArticleId?: string | null;
  /** Extra URLs, e.g. the href targets of an HTML part. */
  urls?: string[];
}

export interface MatchOptions {
  /** Below this confidence the letter is unmatched. */
  threshold?: number;
  /** Similarity only considers articles published this many days before the letter. */
  recentDays?: number;
  maxCandidates?: number;
}

export const DEFAULT_MATCH_THRESHOLD = 0.35;
const DEFAULT_RECENT_DAYS = 120;
const DAY = 86_400_000;

export function matchArticle(index: ArticleIndex, letter: LetterToMatch, options: MatchOptions = {}): MatchResult {
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const maxCandidates = options.maxCandidates ?? 5;
  const candidates: MatchCandidate[] = [];

  if (letter.formArticleId && index.get(letter.formArticleId)) {
    candidates.push({ articleId: letter.formArticleId, method: 'form', confidence: 1 });
  }
  candidates.push(...matchByUrl(index, letter));
  const subject = stripReplyPrefixes(letter.subject ?? '');
  candidates.push(...matchByHeadline(index, subject, letter.body));
  const decisive = candidates.some((c) => c.confidence >= 0.9);
  candidates.push(...matchBySimilarity(index, letter, subject, options.recentDays ?? DEFAULT_RECENT_DAYS, decisive));

  // Keep each article once, under its strongest evidence; methods are
  // ordered so that equal confidences prefer the more direct evidence.
  const order: MatchMethod[] = ['form', 'editor', 'url', 'headline', 'similarity'];
  const best = new Map<string, MatchCandidate>();
  for (const c of candidates) {
    const prev = best.get(c.articleId);
    if (!prev || c.confidence > prev.confidence) best.set(c.articleId, c);
  }
  const ranked = [...best.values()].sort(
    (a, b) => b.confidence - a.confidence || order.indexOf(a.method) - order.indexOf(b.method),
  );
  const top = ranked[0];
  const ok = top !== undefined && top.confidence >= threshold;
  return {
    articleId: ok ? top.articleId : null,
    method: ok ? top.method : null,
    confidence: top ? round(top.confidence) : 0,
    candidates: ranked.slice(0, maxCandidates).map((c) => ({ ...c, confidence: round(c.confidence) })),
  };
}

/** "Re: Fwd: AW: [3] Subject" -> "Subject". */
export function stripReplyPrefixes(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s
      .replace(/^\s*(re|fwd?|fw|aw|wg|sv|vs|tr|rv|res|enc|antw|odp|ynt|r|i)\s*(\[\d+\]|\(\d+\))?\s*:\s*/i, '')
      .replace(/^\s*\[[^\]]{1,40}\]\s*/, '')
      .replace(/^\s*letter\s+(re|about|on)\s*:?\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/^["'\u201c\u2018]+|["'\u201d\u2019]+$/g, '').trim();
}

function matchByUrl(index: ArticleIndex, letter: LetterToMatch): MatchCandidate[] {
  const out: MatchCandidate[] = [];
  const seen = new Set<string>();
  const urls = [...extractUrls(letter.subject ?? ''), ...extractUrls(letter.body), ...(letter.urls ?? [])];
  for (const raw of urls) {
    const hit = index.findByUrl(raw);
    if (!hit || seen.has(hit.article.id)) continue;
    seen.add(hit.article.id);
    out.push({ articleId: hit.article.id, method: 'url', confidence: hit.exact ? 0.99 : 0.96 });
  }
  // A letter linking several articles is most likely about the first one.
  return out.map((c, i) => (i === 0 ? c : { ...c, confidence: c.confidence - 0.15 - 0.01 * i }));
}

function matchByHeadline(index: ArticleIndex, subject: string, body: string): MatchCandidate[] {
  const out: MatchCandidate[] = [];
  const subjectSeq = words(subject).map(stem);
  const bodySeq = words(body).map(stem);
  const weight = (t: string) => (STOPWORDS.has(t) ? 0.15 : index.idf(t));

  // Subject: the headline, a part of it ("Counting Down in Helmand"), or a close variant.
  if (subjectSeq.length > 0) {
    for (const doc of index.titleCandidates(subjectSeq).keys()) {
      const whole = alignment(doc.titleSeq, subjectSeq, weight);
      let cover = whole.titleCover;
      for (const part of doc.titleParts) {
        if (part.length < 3 || part.length === doc.titleSeq.length) continue;
        cover = Math.max(cover, alignment(part, subjectSeq, weight).titleCover * 0.9);
      }
      const score = cover * (0.6 + 0.4 * whole.otherCover);
      if (score >= 0.6) out.push({ articleId: doc.id, method: 'headline', confidence: 0.5 + 0.47 * score });
    }
  }

  // Body: the headline quoted or paraphrased closely in a contiguous stretch.
  // Cheap set coverage first; only the few best titles are aligned.
  const bodyTerms = new Set(bodySeq.filter((t) => !STOPWORDS.has(t)));
  const shortlist: { doc: IndexedArticle; cover: number }[] = [];
  for (const { article: doc } of index.titleCover(bodyTerms, 0.7, 2)) {
    if (doc.titleSeq.length < 4) continue;
    const content = doc.titleContent;
    let have = 0;
    let all = 0;
    for (const t of content) {
      const w = weight(t);
      all += w;
      if (bodyTerms.has(t)) have += w;
    }
    if (have >= 0.75 * all) shortlist.push({ doc, cover: have / all });
  }
  shortlist.sort((a, b) => b.cover - a.cover);
  for (const { doc } of shortlist.slice(0, 10)) {
    const cover = bestWindowCover(doc, bodySeq, weight);
    if (cover >= 0.75) out.push({ articleId: doc.id, method: 'headline', confidence: 0.45 + 0.45 * cover });
  }
  return out;
}

/** Weighted longest common subsequence of a title and a text, as coverage of each side. */
function alignment(
  title: string[],
  other: string[],
  weight: (t: string) => number,
): { titleCover: number; otherCover: number } {
  const n = title.length;
  const m = other.length;
  // dp over weights: best weight of a common subsequence of title[..i], other[..j].
  let prev = new Float64Array(m + 1);
  let cur = new Float64Array(m + 1);
  for (let i = 1; i <= n; i++) {
    const w = weight(title[i - 1]);
    for (let j = 1; j <= m; j++) {
      cur[j] = title[i - 1] === other[j - 1] ? prev[j - 1] + w : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  const common = prev[m];
  const sum = (xs: string[]) => xs.reduce((s, t) => s + weight(t), 0);
  const tw = sum(title);
  const ow = sum(other);
  return { titleCover: tw ? common / tw : 0, otherCover: ow ? Math.min(1, common / ow) : 0 };
}

function bestWindowCover(doc: IndexedArticle, text: string[], weight: (t: string) => number): number {
  const title = doc.titleSeq;
  const span = title.length + 2;
  const inTitle = new Set(title);
  let best = 0;
  for (let i = 0; i < text.length; i++) {
    if (!inTitle.has(text[i])) continue;
    const cover = alignment(title, text.slice(i, i + span), weight).titleCover;
    if (cover > best) best = cover;
    if (best >= 0.999) break;
  }
  return best;
}

function matchBySimilarity(
  index: ArticleIndex,
  letter: LetterToMatch,
  subject: string,
  recentDays: number,
  decisive: boolean,
): MatchCandidate[] {
  const query = [...terms(subject), ...terms(letter.body)];
  if (query.length === 0 || index.size === 0) return [];
  const received = letter.receivedAt == null ? Date.now() : new Date(letter.receivedAt).getTime();
  const now = Number.isFinite(received) ? received : Date.now();
  // Priors: readers answer recent pieces, and opinion pieces most of all.
  const prior = (doc: IndexedArticle) => {
    const ageDays = doc.publishedMs === null ? 30 : Math.max(0, (now - doc.publishedMs) / DAY);
    const recency = 1 / Math.pow(1 + ageDays / 30, 0.25);
    return recency * (doc.opinion ? 1.15 : 1);
  };
  // Only articles published in the window before the letter (undated ones always).
  const { ranked: best, maxScore } = index.rank(query, {
    from: now - recentDays * DAY,
    to: now + 2 * DAY,
    weight: prior,
    maxWeight: 1.15,
    limit: 5,
  });
  if (best.length === 0 || maxScore <= 0) return [];
  const ranked = best.map((r) => ({ doc: r.article, s: r.weighted, matched: r.matched }));

  // Confidence from two things: how much of the letter's vocabulary the best
  // article explains (strength, relative to an ideal article), and how far
  // ahead of the runner-up it is (margin). Either alone misleads: a short
  // note can be a clear match with low strength, a general letter can have a
  // high strength spread over many articles.
  const s1 = ranked[0].s;
  const s2 = ranked[1]?.s ?? 0;
  // A handful of shared words is no evidence, however rare they are.
  const breadth = Math.min(1, ranked[0].matched / 6);
  const strength = breadth * Math.max(0, Math.min(1, (s1 / maxScore - 0.08) / 0.2));
  const margin = s1 > 0 ? (s1 - s2) / s1 : 0;
  const top = Math.min(0.85, strength * (0.35 + 0.65 * Math.min(1, margin / 0.4)));
  const damp = decisive ? 0.5 : 1;
  return ranked.map((r, i) => ({
    articleId: r.doc.id,
    method: 'similarity' as const,
    confidence: damp * (i === 0 ? top : top * (r.s / s1) * 0.8),
  }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
