// In-memory index of a publication's articles for matching letters to them:
// exact URL keys, title token postings (for headlines) and a BM25F inverted
// index over title, author and body (for text similarity). Articles can be
// added and removed at any time, so the index lives as long as the process
// and follows the article registry.

import { articleEvidence, nameKey, sortedHashes } from './evidence.ts';
import { normaliseUrl } from './url.ts';
import { hash32, STOPWORDS, stem, terms, words } from './text.ts';

export interface Article {
  id: string;
  url: string;
  title: string;
  author?: string | null;
  publishedAt?: string | Date | null;
  section?: string | null;
  body?: string | null;
}

/** What the index keeps per article (the body text itself is not kept). */
export interface IndexedArticle {
  id: string;
  url: string;
  title: string;
  author: string | null;
  section: string | null;
  publishedMs: number | null;
  opinion: boolean;
  /** Stems of every title word, stopwords included, for headline alignment. */
  titleSeq: string[];
  /** Title split at ':' '?' '—' into parts (a shortened headline is often one). */
  titleParts: string[][];
  /** Distinct title stems that are not stopwords. */
  titleContent: string[];
  /** Weighted document length for BM25. */
  length: number;
  /** term -> weighted term frequency (kept to remove the article again). */
  tf: Map<string, number>;
  /** Sorted hashes (hash32) of the names, places and numbers the article mentions (evidence keys, see evidence.ts). */
  entities: Uint32Array;
  /** Sorted hashes of the body's phrase pairs (neighbouring content words): what a letter can quote. */
  phrases: Uint32Array;
  /** Sorted hashes of the terms of the title and the opening of the body: what a letter's description of the piece is compared with. */
  lede: Uint32Array;
}

/** A term's postings: article slots and weighted term frequencies (packed arrays). */
interface Posting {
  id: number;
  slots: number[];
  tfs: number[];
}

/** One article ranked by `rank`. */
export interface RankedArticle {
  article: IndexedArticle;
  /** BM25F score over all query terms. */
  score: number;
  /** score x the caller's prior weight: what the ranking is by. */
  weighted: number;
  /** Distinct query terms the article contains. */
  matched: number;
}

export interface RankOptions {
  /** Only articles published in [from, to] (ms since epoch); undated articles always pass. */
  from?: number;
  to?: number;
  /** Filter (slower than from/to: called once per candidate article). */
  accept?: (doc: IndexedArticle) => boolean;
  /** Prior multiplied into the score (recency, section). */
  weight?: (doc: IndexedArticle) => number;
  /** Upper bound of `weight` (lets most candidates be skipped without calling it). Default 1. */
  maxWeight?: number;
  limit?: number;
}

const K1 = 1.2;
const B = 0.75;
// Candidate generation reads the postings of the letter's most informative
// terms only (highest idf x query weight first), up to this many terms and
// about this many postings; the best candidates are then scored exactly on
// every query term. Frequent words cannot tell articles apart, and their
// postings are what a long query over 10,000 articles spends its time on.
const MAX_QUERY_TERMS = 40;
const POSTING_BUDGET_PER_ARTICLE = 2;
const MIN_POSTING_BUDGET = 20_000;
const RESCORE = 32;

// BM25F field weights: a word in the headline says more about what the
// article is about than a word deep in the body; readers also name authors.
const TITLE_WEIGHT = 3;
const AUTHOR_WEIGHT = 2;
const BODY_WEIGHT = 1;
// Long articles: only the first words take part; the lede carries the topic,
// and this bounds index size for 10,000 articles.
const BODY_WORD_LIMIT = 1500;
// Words of the body that, with the title, make the lede a letter's description is compared with.
const LEDE_WORDS = 120;

const OPINION_SECTION = /opinion|editorial|column|comment|op-?ed|letters|analysis|essay|review|ideas/i;

export class ArticleIndex {
  private slots: (IndexedArticle | undefined)[] = [];
  private free: number[] = [];
  private byId = new Map<string, number>();
  private byUrl = new Map<string, number>();
  private byPath = new Map<string, number>();
  private postings = new Map<string, Posting>();
  private titlePostings = new Map<string, number[]>();
  private entityPostings = new Map<number, number[]>();
  private totalLength = 0;
  private live = 0;
  // Per slot: weighted length, and the BM25 length norm k1 (1 - b + b len / avg)
  // for the current average (recomputed lazily when articles change).
  private lengths = new Float64Array(64);
  private published = new Float64Array(64);
  private titleSize = new Int32Array(64); // titleContent.length
  // Per slot: the article's term ids (ascending) and weighted frequencies, for exact rescoring.
  private docTerms: (Int32Array | undefined)[] = [];
  private docTfs: (Float32Array | undefined)[] = [];
  private nextTermId = 0;
  private norms = new Float64Array(64);
  private normsFresh = false;
  // Query scratch, reused across queries (no allocation over all articles).
  private acc = new Float64Array(64);
  private hits = new Int32Array(64);
  private touched = new Int32Array(64);
  private verdictStamp = new Int32Array(64);
  private verdict = new Int8Array(64);
  private stamp = 0;

  constructor(articles: Iterable<Article> = []) {
    for (const a of articles) this.add(a);
  }

  get size(): number {
    return this.live;
  }

  get(id: string): IndexedArticle | undefined {
    const slot = this.byId.get(id);
    return slot === undefined ? undefined : this.slots[slot];
  }

  /** Adds an article, or replaces the article with the same id. */
  add(article: Article): void {
    if (this.byId.has(article.id)) this.remove(article.id);
    const slot = this.free.length ? this.free.pop()! : this.slots.length;
    this.ensureSlots(slot + 1);

    const tf = new Map<string, number>();
    const bump = (list: string[], w: number, limit: number) => {
      const n = Math.min(list.length, limit);
      for (let i = 0; i < n; i++) {
        const t = list[i];
        tf.set(t, (tf.get(t) ?? 0) + w);
      }
      return n;
    };
    const titleTerms = terms(article.title);
    const nTitle = bump(titleTerms, TITLE_WEIGHT, Infinity);
    const nAuthor = article.author ? bump(terms(article.author), AUTHOR_WEIGHT, Infinity) : 0;
    const nBody = article.body ? bump(terms(article.body), BODY_WEIGHT, BODY_WORD_LIMIT) : 0;
    const length = nTitle * TITLE_WEIGHT + nAuthor * AUTHOR_WEIGHT + nBody * BODY_WEIGHT;

    const published = article.publishedAt ? new Date(article.publishedAt).getTime() : NaN;
    const titleSeq = words(article.title).map(stem);
    const titleParts = article.title
      .split(/[:?!\u2014\u2013|]|\s-\s/)
      .map((p) => words(p).map(stem))
      .filter((p) => p.length >= 2);
    const bodyText = article.body ?? '';
    // Names from the body: a headline's capitals are style, not names.
    const { entities, phrases } = articleEvidence(bodyText, BODY_WORD_LIMIT);
    for (const w of (article.author ?? '').split(/[\s,]+/)) if (/^\p{Lu}/u.test(w) && w.length > 1) entities.add(nameKey(w));
    const bodyTerms = terms(bodyText.split(/\s+/, LEDE_WORDS).join(' '));
    const doc: IndexedArticle = {
      id: article.id,
      url: article.url,
      title: article.title,
      author: article.author ?? null,
      section: article.section ?? null,
      publishedMs: Number.isFinite(published) ? published : null,
      opinion: OPINION_SECTION.test(article.section ?? ''),
      titleSeq,
      titleParts,
      titleContent: [...new Set(titleSeq.filter((t) => !STOPWORDS.has(t)))],
      length,
      tf,
      entities: sortedHashes([...entities].map(hash32)),
      phrases,
      lede: sortedHashes([...titleTerms, ...bodyTerms].map(hash32)),
    };
    this.slots[slot] = doc;
    this.byId.set(article.id, slot);
    this.live++;
    this.totalLength += length;
    this.lengths[slot] = length;
    this.published[slot] = doc.publishedMs ?? NaN;
    this.titleSize[slot] = doc.titleContent.length;
    this.normsFresh = false;

    // Term ids in ascending order with their frequencies: sort id x 2^16 + position.
    const keys = new Float64Array(tf.size);
    const tfList: number[] = [];
    let k = 0;
    for (const [t, f] of tf) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = { id: this.nextTermId++, slots: [], tfs: [] }));
      p.slots.push(slot);
      p.tfs.push(f);
      keys[k] = p.id * 65536 + k;
      tfList.push(f);
      k++;
    }
    keys.sort();
    const termIds = new Int32Array(keys.length);
    const termTfs = new Float32Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const id = Math.floor(keys[i] / 65536);
      termIds[i] = id;
      termTfs[i] = tfList[keys[i] - id * 65536];
    }
    this.docTerms[slot] = termIds;
    this.docTfs[slot] = termTfs;
    for (const t of new Set(titleTerms)) {
      let p = this.titlePostings.get(t);
      if (!p) this.titlePostings.set(t, (p = []));
      p.push(slot);
    }
    for (const e of doc.entities) {
      let p = this.entityPostings.get(e);
      if (!p) this.entityPostings.set(e, (p = []));
      p.push(slot);
    }
    const u = normaliseUrl(article.url);
    if (u) {
      this.byUrl.set(u.key, slot);
      this.byPath.set(u.pathKey, slot);
    }
  }

  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const doc = this.slots[slot]!;
    for (const t of doc.tf.keys()) {
      const p = this.postings.get(t);
      if (!p) continue;
      const i = p.slots.indexOf(slot);
      if (i >= 0) {
        p.slots.splice(i, 1);
        p.tfs.splice(i, 1);
      }
      if (p.slots.length === 0) this.postings.delete(t);
    }
    for (const t of new Set(terms(doc.title))) {
      const p = this.titlePostings.get(t);
      if (!p) continue;
      const i = p.indexOf(slot);
      if (i >= 0) p.splice(i, 1);
      if (p.length === 0) this.titlePostings.delete(t);
    }
    for (const e of doc.entities) {
      const p = this.entityPostings.get(e);
      if (!p) continue;
      const i = p.indexOf(slot);
      if (i >= 0) p.splice(i, 1);
      if (p.length === 0) this.entityPostings.delete(e);
    }
    const u = normaliseUrl(doc.url);
    if (u) {
      if (this.byUrl.get(u.key) === slot) this.byUrl.delete(u.key);
      if (this.byPath.get(u.pathKey) === slot) this.byPath.delete(u.pathKey);
    }
    this.byId.delete(id);
    this.slots[slot] = undefined;
    this.free.push(slot);
    this.live--;
    this.totalLength -= doc.length;
    this.lengths[slot] = 0;
    this.docTerms[slot] = undefined;
    this.docTfs[slot] = undefined;
    this.normsFresh = false;
    return true;
  }

  /** The article a URL points to: exact key first, then ignoring the query. */
  findByUrl(raw: string): { article: IndexedArticle; exact: boolean } | null {
    const u = normaliseUrl(raw);
    if (!u) return null;
    let slot = this.byUrl.get(u.key);
    if (slot !== undefined) return { article: this.slots[slot]!, exact: true };
    slot = this.byPath.get(u.pathKey);
    if (slot !== undefined) return { article: this.slots[slot]!, exact: false };
    return null;
  }

  /** Articles whose title contains any of the given terms. */
  titleCandidates(queryTerms: Iterable<string>): Map<IndexedArticle, number> {
    const hits = new Map<IndexedArticle, number>();
    for (const t of new Set(queryTerms)) {
      const list = this.titlePostings.get(t);
      if (!list) continue;
      for (const slot of list) {
        const doc = this.slots[slot]!;
        hits.set(doc, (hits.get(doc) ?? 0) + 1);
      }
    }
    return hits;
  }

  /**
   * Articles whose distinct title content terms (`titleContent`, at least
   * `minContent` of them) are at least `minShare` present among the given
   * terms, with how many are. Counts in typed arrays: cheap even when
   * common words appear in many titles.
   */
  titleCover(queryTerms: Iterable<string>, minShare: number, minContent = 1): { article: IndexedArticle; hits: number }[] {
    const { hits, touched } = this;
    let nt = 0;
    for (const t of new Set(queryTerms)) {
      const list = this.titlePostings.get(t);
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        const slot = list[i];
        if (hits[slot]++ === 0) touched[nt++] = slot;
      }
    }
    const out: { article: IndexedArticle; hits: number }[] = [];
    for (let i = 0; i < nt; i++) {
      const slot = touched[i];
      const n = this.titleSize[slot];
      if (n >= minContent && hits[slot] >= minShare * n) out.push({ article: this.slots[slot]!, hits: hits[slot] });
      hits[slot] = 0;
    }
    return out;
  }

  /** Number of articles that mention a name, place or number (an evidence key of evidence.ts). */
  entityDf(key: string): number {
    return this.entityPostings.get(hash32(key))?.length ?? 0;
  }

  /** Articles that mention any of the given names, places or numbers, with how many of them each mentions. */
  entityCandidates(keys: Iterable<string>, maxDf = Infinity): Map<IndexedArticle, number> {
    const hits = new Map<IndexedArticle, number>();
    for (const k of new Set(keys)) {
      const list = this.entityPostings.get(hash32(k));
      if (!list || list.length > maxDf) continue;
      for (const slot of list) {
        const doc = this.slots[slot]!;
        hits.set(doc, (hits.get(doc) ?? 0) + 1);
      }
    }
    return hits;
  }

  /** Number of articles containing the term (any field). */
  df(term: string): number {
    return this.postings.get(term)?.slots.length ?? 0;
  }

  /** Inverse document frequency (BM25 flavour, always positive). */
  idf(term: string): number {
    return this.idfOf(this.postings.get(term)?.slots.length ?? 0);
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
  }

  private ensureSlots(n: number): void {
    if (n <= this.lengths.length) return;
    const cap = Math.max(n, this.lengths.length * 2);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.lengths = f64(this.lengths);
    this.published = f64(this.published);
    const titleSize = new Int32Array(cap);
    titleSize.set(this.titleSize);
    this.titleSize = titleSize;
    this.norms = new Float64Array(cap);
    this.normsFresh = false;
    this.acc = new Float64Array(cap);
    this.hits = new Int32Array(cap);
    this.touched = new Int32Array(cap);
    this.verdictStamp = new Int32Array(cap);
    this.verdict = new Int8Array(cap);
  }

  private freshNorms(): Float64Array {
    if (!this.normsFresh) {
      const avg = this.live ? this.totalLength / this.live : 1;
      const n = this.slots.length;
      for (let i = 0; i < n; i++) this.norms[i] = K1 * (1 - B + (B * this.lengths[i]) / avg);
      this.normsFresh = true;
    }
    return this.norms;
  }

  /** Query terms known to the index, with their BM25 query weight idf x saturating tf. */
  private queryWeights(queryTerms: string[]): { postings: Posting[]; terms: string[]; weights: number[]; maxScore: number } {
    const qtf = new Map<string, number>();
    for (const t of queryTerms) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const postings: Posting[] = [];
    const termList: string[] = [];
    const weights: number[] = [];
    let maxScore = 0;
    for (const [t, n] of qtf) {
      // Words no article uses (other languages, names) cannot be explained by
      // any article, so they do not count against the best one.
      const p = this.postings.get(t);
      if (!p) continue;
      const w = this.idfOf(p.slots.length) * ((2 * n) / (1 + n)); // saturating weight for repeated query words
      maxScore += w * (K1 + 1);
      postings.push(p);
      termList.push(t);
      weights.push(w);
    }
    return { postings, terms: termList, weights, maxScore };
  }

  /**
   * Accumulates BM25F scores over the given postings into the scratch
   * arrays; returns how many slots were touched (listed in `touched`).
   * Articles outside [from, to] or refused by `accept` are skipped.
   */
  private accumulate(
    postings: Posting[],
    weights: number[],
    order: ArrayLike<number>,
    from: number,
    to: number,
    accept: ((doc: IndexedArticle) => boolean) | null,
  ): number {
    const norms = this.freshNorms();
    const { acc, hits, touched, verdict, verdictStamp, slots, published } = this;
    const stamp = ++this.stamp;
    let nt = 0;
    for (let k = 0; k < order.length; k++) {
      const q = order[k];
      const p = postings[q];
      const w = weights[q] * (K1 + 1);
      const ps = p.slots;
      const pf = p.tfs;
      for (let i = 0; i < p.slots.length; i++) {
        const slot = ps[i];
        if (hits[slot] === 0) {
          if (verdictStamp[slot] !== stamp) {
            verdictStamp[slot] = stamp;
            const t = published[slot];
            verdict[slot] = (t !== t || (t >= from && t <= to)) && (accept === null || accept(slots[slot]!)) ? 1 : -1;
          }
          if (verdict[slot] < 0) continue;
          touched[nt++] = slot;
        }
        const f = pf[i];
        acc[slot] += (w * f) / (f + norms[slot]);
        hits[slot]++;
      }
    }
    return nt;
  }

  private clearScratch(nt: number): void {
    const { acc, hits, touched } = this;
    for (let i = 0; i < nt; i++) {
      acc[touched[i]] = 0;
      hits[touched[i]] = 0;
    }
  }

  /**
   * BM25F scores of articles for a bag of query terms. `accept` filters
   * articles (e.g. the recency window); `maxScore` is the score an ideal
   * article would reach on the query words the index knows, used by callers
   * to judge how strong a match is; `matched` counts the distinct query
   * words each article contains. Exact over every query term; `rank` is the
   * fast way to get the best few.
   */
  bm25(
    queryTerms: string[],
    accept: (doc: IndexedArticle) => boolean = () => true,
  ): { scores: Map<IndexedArticle, number>; matched: Map<IndexedArticle, number>; maxScore: number } {
    const q = this.queryWeights(queryTerms);
    const order = Array.from(q.postings, (_, i) => i);
    const nt = this.accumulate(q.postings, q.weights, order, -Infinity, Infinity, accept);
    const scores = new Map<IndexedArticle, number>();
    const matched = new Map<IndexedArticle, number>();
    for (let i = 0; i < nt; i++) {
      const slot = this.touched[i];
      scores.set(this.slots[slot]!, this.acc[slot]);
      matched.set(this.slots[slot]!, this.hits[slot]);
    }
    this.clearScratch(nt);
    return { scores, matched, maxScore: q.maxScore };
  }

  /**
   * The best `limit` articles for a bag of query terms, by BM25F score times
   * `weight` (a prior, 0 < weight <= maxWeight). Candidates come from the
   * postings of the query's most informative terms; the best of them are
   * then scored exactly on all query terms, so scores, `matched` and
   * `maxScore` are those `bm25` gives.
   */
  rank(queryTerms: string[], options: RankOptions = {}): { ranked: RankedArticle[]; maxScore: number } {
    const limit = Math.max(1, options.limit ?? 5);
    const accept = options.accept ?? null;
    const weight = options.weight ?? null;
    const maxWeight = weight === null ? 1 : (options.maxWeight ?? Infinity);
    const q = this.queryWeights(queryTerms);
    if (q.postings.length === 0) return { ranked: [], maxScore: q.maxScore };

    // Most informative terms first; stop at the term or postings budget.
    const byWeight = Array.from(q.postings, (_, i) => i).sort((a, b) => q.weights[b] - q.weights[a] || q.postings[a].slots.length - q.postings[b].slots.length);
    const budget = Math.max(MIN_POSTING_BUDGET, POSTING_BUDGET_PER_ARTICLE * this.live);
    let spent = 0;
    let take = 0;
    while (take < byWeight.length && take < MAX_QUERY_TERMS) {
      const n = q.postings[byWeight[take]].slots.length;
      if (take > 0 && spent + n > budget) break;
      spent += n;
      take++;
    }
    const exact = take === byWeight.length;
    if (!exact) byWeight.length = take;
    const nt = this.accumulate(q.postings, q.weights, byWeight, options.from ?? -Infinity, options.to ?? Infinity, accept);

    // Keep the best candidates by (partial) weighted score; the prior is
    // only computed for articles whose bound could still make the cut.
    const keep = exact ? limit : Math.max(RESCORE, limit);
    const topSlot: number[] = [];
    const topScore: number[] = [];
    const topW: number[] = [];
    const { acc, hits, touched } = this;
    for (let i = 0; i < nt; i++) {
      const slot = touched[i];
      const raw = acc[slot];
      if (topSlot.length === keep && raw * maxWeight <= topScore[keep - 1]) continue;
      const w = weight === null ? 1 : weight(this.slots[slot]!);
      const s = raw * w;
      if (topSlot.length === keep && s <= topScore[keep - 1]) continue;
      let j = topSlot.length < keep ? topSlot.length : keep - 1;
      while (j > 0 && topScore[j - 1] < s) {
        topSlot[j] = topSlot[j - 1];
        topScore[j] = topScore[j - 1];
        topW[j] = topW[j - 1];
        j--;
      }
      topSlot[j] = slot;
      topScore[j] = s;
      topW[j] = w;
    }

    let ranked: RankedArticle[];
    if (exact) {
      ranked = topSlot.map((slot, i) => ({ article: this.slots[slot]!, score: acc[slot], weighted: topScore[i], matched: hits[slot] }));
      this.clearScratch(nt);
    } else {
      this.clearScratch(nt);
      // Exact scores over every query term for the shortlisted articles.
      const norms = this.norms;
      const qIds = q.postings.map((p) => p.id);
      ranked = topSlot.map((slot, i) => {
        const ids = this.docTerms[slot]!;
        const tfs = this.docTfs[slot]!;
        let score = 0;
        let matched = 0;
        for (let k = 0; k < qIds.length; k++) {
          const at = search(ids, qIds[k]);
          if (at < 0) continue;
          const f = tfs[at];
          score += (q.weights[k] * (K1 + 1) * f) / (f + norms[slot]);
          matched++;
        }
        return { article: this.slots[slot]!, score, weighted: score * topW[i], matched };
      });
      ranked.sort((a, b) => b.weighted - a.weighted);
      ranked = ranked.slice(0, limit);
    }
    return { ranked, maxScore: q.maxScore };
  }
}

/** Index of `x` in an ascending array, or -1. */
function search(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid];
    if (v < x) lo = mid + 1;
    else if (v > x) hi = mid - 1;
    else return mid;
  }
  return -1;
}
