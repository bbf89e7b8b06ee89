// Which article is a letter about? The form's own article and a link to the
// article decide outright. Otherwise every candidate article collects
// evidence from the letter:
//   - its headline in the subject or quoted in the text;
//   - the names, places and numbers the letter repeats from it ("Ellie Marsh",
//     "Lashkar Gah", "268 million"), each weighed by how few articles mention
//     it, and counted fully only when the rest of the letter agrees with the
//     article (a town in a sign-off, or "Karachi" in a letter about cricket,
//     is no evidence for an article about floods);
//   - words it quotes from the article;
//   - its own description of the piece ("your article on American aid to
//     Pakistan", "Ihr Artikel über …");
//   - the share of its vocabulary the article explains (text similarity).
// Names, numbers and quotes hold across languages; a small bilingual list of
// headline words helps German, French and Spanish letters with the rest.
//
// The evidence adds up to a score per article, on a log-odds scale. A
// "no article" alternative with a fixed score stands for the letter being
// about something the index does not hold. The confidence of the best article
// is its probability minus that of the runner-up (the no-article alternative
// included): high only when the evidence is strong and one article is well
// ahead of the next, so that a letter about nothing in the index, or torn
// between two pieces, stays unmatched and goes to the editors' tray.

import type { ArticleIndex, IndexedArticle } from './article-index.ts';
import { descriptions, hasHash, isTitleCase, language, letterNames, phraseChain, refersToArticle, termsAcrossLanguages } from './evidence.ts';
import { extractUrls } from './url.ts';
import { hash32, STOPWORDS, stem, words } from './text.ts';

/** How a letter's article was found: given by the form or an editor, or by screening's evidence. */
export const MATCH_METHODS = ['form', 'url', 'headline', 'names', 'quote', 'description', 'similarity', 'editor'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

export interface MatchCandidate {
  articleId: string;
  method: MatchMethod;
  confidence: number;
  /** What the match rests on, for the editor ("names: Ellie Marsh; quote: …"). */
  evidence?: string[];
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
  /** Names, quotes and similarity only consider articles published this many days before the letter. */
  recentDays?: number;
  maxCandidates?: number;
}

export const DEFAULT_MATCH_THRESHOLD = 0.35;
const DEFAULT_RECENT_DAYS = 120;
const DAY = 86_400_000;

// Similarity candidates looked at, and names mentioned by more articles than this are no evidence.
const SIMILAR_CANDIDATES = 8;
const MAX_NAME_DF = 50;
// Distinct informative words (names aside) a letter needs for its similarity to count in full.
const SIMILARITY_WORDS = 15;
// The best article must lead the next one by this factor in probability (and
// "no article" outright) to have any confidence: two articles that share the
// evidence between them leave the letter to the editors.
const RUNNER_UP = 2;
// Words of "your article on …" taken as the letter's description of the piece.
const DESCRIPTION_WORDS = 6;

export function matchArticle(index: ArticleIndex, letter: LetterToMatch, options: MatchOptions = {}): MatchResult {
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const maxCandidates = options.maxCandidates ?? 5;

  // Decisive evidence: the form's article, a link.
  const decisive: MatchCandidate[] = [];
  if (letter.formArticleId && index.get(letter.formArticleId)) {
    decisive.push({ articleId: letter.formArticleId, method: 'form', confidence: 1 });
  }
  decisive.push(...matchByUrl(index, letter));

  const weighed = weigh(index, letter, options);
  // Keep each article once, under its strongest evidence.
  const best = new Map<string, MatchCandidate>();
  for (const c of decisive) {
    const prev = best.get(c.articleId);
    if (!prev || c.confidence > prev.confidence) best.set(c.articleId, c);
  }
  const strong = decisive.some((c) => c.confidence >= 0.9);
  for (const c of weighed) {
    const prev = best.get(c.articleId);
    // Beside a link or the form, other evidence only ranks the alternatives.
    const conf = strong ? c.confidence * 0.5 : c.confidence;
    if (!prev) best.set(c.articleId, { ...c, confidence: conf });
    else if (c.evidence?.length && !prev.evidence) prev.evidence = c.evidence;
  }
  // Stable: equal confidences keep the order above (decisive evidence, then by score).
  const ranked = [...best.values()].sort((a, b) => b.confidence - a.confidence);
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
    out.push({ articleId: hit.article.id, method: 'url', confidence: hit.exact ? 0.99 : 0.96, evidence: [`link: ${raw.slice(0, 120)}`] });
  }
  // A letter linking several articles is most likely about the first one.
  return out.map((c, i) => (i === 0 ? c : { ...c, confidence: c.confidence - 0.15 - 0.01 * i }));
}

// --- weighing the evidence ------------------------------------------------------

/** What one article has going for it, each part on its own scale (see `EVIDENCE_WEIGHTS`). */
export interface ArticleEvidence {
  article: IndexedArticle;
  /** Cover of the headline in the subject or a stretch of the text (0..1). */
  headline: number;
  /** Names, places and numbers of the letter the article mentions, each by 1 / (articles mentioning it). */
  names: number;
  /** Pairs of neighbouring content words the letter shares with the article and with few other candidates. */
  phrases: number;
  /** Share of the letter's own description of the piece found in its headline and opening (0..1). */
  description: number;
  /**
   * Text similarity (BM25F strength, 0..1) above the level of the field: the
   * mean of the second to fourth best articles. A letter on a broad subject is
   * about as similar to many articles and gains nothing; a letter that one
   * article explains far better than the rest gains much.
   */
  similarity: number;
  /** idf-weighted share of the letter's terms, names aside, that the article contains (0..1). */
  explained: number;
  notes: string[];
}

// Weights (log-odds points) of each kind of evidence, and the score of "no
// article in the index" (lower when the letter speaks of a piece it read:
// "your article", "your reporter"). Fitted on the labelled letters of
// test/fixtures (the held-back ones excluded) by maximum likelihood of the
// right choice among the candidates and "no article" (letters about no
// article weighing three times, a template campaign once), then rounded; the
// headline's weight is set, not fitted (few letters quote headlines).
export const EVIDENCE_WEIGHTS = {
  none: 6,
  reference: 3,
  headline: 8,
  names: 3,
  phrases: 1.5,
  description: 14,
  similarity: 16.5,
  explained: 0.2,
};

/** Greeting and sign-off lines: names there are the writer's and the town's, not evidence. */
function withoutGreetingAndSignOff(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && (!lines[0]!.trim() || /^\s*(dear|to the|sir|madam|sehr geehrte|liebe|madame|monsieur|cher|chère|señor|señora|estimad[oa]|querid[oa])\b.{0,40}[,:]?\s*$/i.test(lines[0]!))) lines.shift();
  // Trailing short lines without a sentence end: name, town, "Sincerely,".
  while (lines.length && (!lines[lines.length - 1]!.trim() || (words(lines[lines.length - 1]!).length <= 6 && !/[.!?]["'’”)]?\s*$/.test(lines[lines.length - 1]!)))) lines.pop();
  return lines.join('\n');
}

/** The evidence the letter gives each candidate article (articles with none are left out). */
export function gatherEvidence(index: ArticleIndex, letter: LetterToMatch, options: MatchOptions = {}): ArticleEvidence[] {
  if (index.size === 0) return [];
  const recentDays = options.recentDays ?? DEFAULT_RECENT_DAYS;
  const subject = stripReplyPrefixes(letter.subject ?? '');
  const received = letter.receivedAt == null ? Date.now() : new Date(letter.receivedAt).getTime();
  const now = Number.isFinite(received) ? received : Date.now();
  const from = now - recentDays * DAY;
  const to = now + 2 * DAY;
  const inWindow = (doc: IndexedArticle) => doc.publishedMs === null || (doc.publishedMs >= from && doc.publishedMs <= to);

  const text = withoutGreetingAndSignOff(letter.body);
  const lang = language(`${subject}\n${text}`);
  const evidence = new Map<IndexedArticle, ArticleEvidence>();
  const of = (doc: IndexedArticle) => {
    let e = evidence.get(doc);
    if (!e) evidence.set(doc, (e = { article: doc, headline: 0, names: 0, phrases: 0, description: 0, similarity: 0, explained: 0, notes: [] }));
    return e;
  };

  // Headline: in the subject, or quoted in the text (any date: a headline is specific).
  for (const h of matchByHeadline(index, subject, letter.body)) {
    const e = of(h.doc);
    if (h.score > e.headline) e.headline = h.score;
  }
  for (const e of evidence.values()) if (e.headline) e.notes.push(`headline: ${e.article.title}`);

  // Similarity: the best few articles of the window by BM25F, with the
  // recency prior (readers answer recent pieces, opinion pieces most of all).
  const query = [...termsAcrossLanguages(subject, lang), ...termsAcrossLanguages(text, lang)];
  const prior = (doc: IndexedArticle) => {
    const ageDays = doc.publishedMs === null ? 30 : Math.max(0, (now - doc.publishedMs) / DAY);
    return (1 / Math.pow(1 + ageDays / 30, 0.25)) * (doc.opinion ? 1.15 : 1);
  };
  if (query.length) {
    const { ranked, maxScore } = index.rank(query, { from, to, weight: prior, maxWeight: 1.15, limit: SIMILAR_CANDIDATES });
    for (const r of ranked) {
      // A handful of shared words is no evidence, however rare they are.
      const breadth = Math.min(1, r.matched / 6);
      const strength = breadth * Math.max(0, Math.min(1, (r.weighted / maxScore - 0.05) / 0.25));
      if (strength > 0) of(r.article).similarity = strength;
    }
  }

  // Candidates by name, place or number, and by the letter's description of the piece.
  const runs = letterNames(isTitleCase(subject) ? text : `${subject}\n${text}`);
  const keys = new Set(runs.flat());
  for (const doc of index.entityCandidates(keys, MAX_NAME_DF).keys()) if (inWindow(doc)) of(doc);
  const said = descriptions(letter.body);
  const described = said.flatMap((d) => termsAcrossLanguages(d.split(/\s+/).slice(0, DESCRIPTION_WORDS).join(' '), lang));
  if (described.length >= 2) for (const doc of index.titleCandidates(described).keys()) if (inWindow(doc)) of(doc);

  // Terms of the letter that are not names: how much of them an article explains.
  const nameStems = new Set([...keys].filter((k) => !k.startsWith('#')));
  const topical = [...new Set(query)].filter((t) => !nameStems.has(t) && index.df(t) > 0);
  const topicalWeight = topical.reduce((s, t) => s + index.idf(t), 0);
  // Phrase pairs shared with an article count when few of the candidates share them.
  // Pairs of two everyday words ("next year") say nothing: one of the two must be uncommon.
  const common = Math.max(2, index.size / 4);
  const pairs = [...new Set(phraseChain(`${subject}\n${text}`).filter((p) => Math.min(index.df(p.a), index.df(p.b)) <= common).map((p) => p.hash))];
  const pairDf = new Map<number, number>();
  for (const doc of evidence.keys()) for (const h of pairs) if (hasHash(doc.phrases, h)) pairDf.set(h, (pairDf.get(h) ?? 0) + 1);
  const pairLimit = Math.max(1, Math.floor(evidence.size / 3));
  const sims = [...evidence.values()].map((e) => e.similarity).sort((a, b) => b - a);
  const field = (sims.slice(1, 4).reduce((s, x) => s + x, 0)) / 3;
  const describedTerms = [...new Set(described)].filter((t) => index.df(t) > 0);
  const describedWeight = describedTerms.reduce((s, t) => s + index.idf(t), 0);

  for (const e of evidence.values()) {
    const doc = e.article;
    e.explained = topicalWeight > 0 ? topical.reduce((s, t) => s + (doc.tf.has(t) ? index.idf(t) : 0), 0) / topicalWeight : 0;
    // Names: each name the article also mentions counts by its rarity (1 when
    // no other article mentions it); each run of capitalised words once.
    let names = 0;
    const named: string[] = [];
    const counted = new Set<string>();
    for (const run of runs) {
      const hits = run.filter((k) => hasHash(doc.entities, hash32(k)) && !counted.has(k));
      if (!hits.length) continue;
      names += hits.reduce((s, k) => s + 1 / Math.max(1, index.entityDf(k)), 0);
      for (const k of hits) counted.add(k);
      named.push(run.join(' '));
    }
    // Names count fully only where the rest of the letter (when there is much
    // of it) agrees with the article, and matter less in a long letter, whose
    // words say more.
    const agreement = topical.length < 5 ? 1 : Math.min(1, 0.25 + 2 * e.explained);
    e.names = names * agreement * Math.min(1, 12 / Math.max(1, topical.length));
    if (named.length) e.notes.push(`names: ${named.slice(0, 6).join(', ')}`);
    let shared = 0;
    for (const h of pairs) if (hasHash(doc.phrases, h) && (pairDf.get(h) ?? 0) <= pairLimit) shared++;
    e.phrases = Math.min(shared, 8);
    if (shared) e.notes.push(`shared phrases: ${shared}`);
    if (describedTerms.length >= 2 && describedWeight > 0) {
      // The headline and opening count fully, the rest of the article half.
      e.description = describedTerms.reduce((s, t) => s + (hasHash(doc.lede, hash32(t)) ? index.idf(t) : doc.tf.has(t) ? 0.5 * index.idf(t) : 0), 0) / describedWeight;
      if (e.description >= 0.5) e.notes.push(`described as: ${said[0]!.slice(0, 80)}`);
    }
    if (e.similarity) e.notes.push(`similar words (${Math.round(e.similarity * 100)}%)`);
    // A short text's similarity turns on one or two words: it counts in
    // proportion to the letter's informative words, up to SIMILARITY_WORDS.
    e.similarity = Math.max(0, e.similarity - field) * Math.min(1, topical.length / SIMILARITY_WORDS);
  }
  return [...evidence.values()];
}

/**
 * An article's score (its evidence in log-odds points) and the method it is
 * credited to: the most direct kind of evidence present (a headline, the
 * letter's description of the piece, a rare name, quoted phrases), else text
 * similarity.
 */
export function scoreEvidence(e: ArticleEvidence, w = EVIDENCE_WEIGHTS): { score: number; method: MatchMethod } {
  const similar = w.similarity * e.similarity + w.explained * e.explained;
  const score = w.headline * e.headline + w.names * e.names + w.phrases * e.phrases + w.description * e.description + similar;
  let method: MatchMethod = 'similarity';
  if (e.headline > 0) method = 'headline';
  else if (w.description * e.description >= similar) method = 'description';
  else if (e.names >= 1) method = 'names';
  else if (w.phrases * e.phrases >= similar / 2) method = 'quote';
  return { score, method };
}

function weigh(index: ArticleIndex, letter: LetterToMatch, options: MatchOptions): MatchCandidate[] {
  const scored = gatherEvidence(index, letter, options).map((e) => ({ e, ...scoreEvidence(e) }));
  if (!scored.length) return [];
  // Probabilities over the candidates and "no article".
  const none = EVIDENCE_WEIGHTS.none - (refersToArticle(`${letter.subject ?? ''}\n${letter.body}`) ? EVIDENCE_WEIGHTS.reference : 0);
  const z = Math.exp(none) + scored.reduce((s, c) => s + Math.exp(c.score), 0);
  const pNone = Math.exp(none) / z;
  scored.sort((a, b) => b.score - a.score);
  const p = scored.map((c) => Math.exp(c.score) / z);
  // Every candidate is listed, strongest first; only one well ahead of "no
  // article" and of twice the next candidate has a confidence above zero.
  return scored.map((c, i) => {
    const rival = Math.max(pNone, RUNNER_UP * (i === 0 ? (p[1] ?? 0) : p[0]!));
    return { articleId: c.e.article.id, method: c.method, confidence: Math.max(0, Math.min(0.99, p[i]! - rival)), evidence: c.e.notes };
  });
}

function matchByHeadline(index: ArticleIndex, subject: string, body: string): { doc: IndexedArticle; score: number }[] {
  const out: { doc: IndexedArticle; score: number }[] = [];
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
      if (score >= 0.6) out.push({ doc, score });
    }
  }

  // Body: the headline quoted or paraphrased closely in a contiguous stretch.
  // Cheap set coverage first; only the few best titles are aligned.
  const bodyTerms = new Set(bodySeq.filter((t) => !STOPWORDS.has(t)));
  const shortlist: { doc: IndexedArticle; cover: number }[] = [];
  for (const { article: doc } of index.titleCover(bodyTerms, 0.7, 2)) {
    if (doc.titleSeq.length < 4) continue;
    let have = 0;
    let all = 0;
    for (const t of doc.titleContent) {
      const w = weight(t);
      all += w;
      if (bodyTerms.has(t)) have += w;
    }
    if (have >= 0.75 * all) shortlist.push({ doc, cover: have / all });
  }
  shortlist.sort((a, b) => b.cover - a.cover);
  for (const { doc } of shortlist.slice(0, 10)) {
    const cover = bestWindowCover(doc, bodySeq, weight);
    if (cover >= 0.75) out.push({ doc, score: cover * 0.95 });
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

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
