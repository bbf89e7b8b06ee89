// In-memory index of a publication's articles for matching letters to them:
// exact URL keys, title token postings (for headlines) and a BM25F inverted
// index over title, author and body (for text similarity). Articles can be
// added and removed at any time, so the index lives as long as the process
// and follows the article registry.

import { normaliseUrl } from './url.ts';
import { stem, terms, words } from './text.ts';

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
  /** Weighted document length for BM25. */
  length: number;
  /** term -> weighted term frequency (kept to remove the article again). */
  tf: Map<string, number>;
}

interface Posting {
  slots: number[];
  tfs: number[];
}

// BM25F field weights: a word in the headline says more about what the
// article is about than a word deep in the body; readers also name authors.
const TITLE_WEIGHT = 3;
const AUTHOR_WEIGHT = 2;
const BODY_WEIGHT = 1;
// Long articles: only the first words take part; the lede carries the topic,
// and this bounds index size for 10,000 articles.
const BODY_WORD_LIMIT = 1500;

const OPINION_SECTION = /opinion|editorial|column|comment|op-?ed|letters|analysis|essay|review|ideas/i;

export class ArticleIndex {
  private slots: (IndexedArticle | undefined)[] = [];
  private free: number[] = [];
  private byId = new Map<string, number>();
  private byUrl = new Map<string, number>();
  private byPath = new Map<string, number>();
  private postings = new Map<string, Posting>();
  private titlePostings = new Map<string, number[]>();
  private totalLength = 0;
  private live = 0;

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

    const tf = new Map<string, number>();
    const bump = (list: string[], w: number) => {
      for (const t of list) tf.set(t, (tf.get(t) ?? 0) + w);
    };
    const titleTerms = terms(article.title);
    const authorTerms = article.author ? terms(article.author) : [];
    const bodyWords = article.body ? terms(article.body).slice(0, BODY_WORD_LIMIT) : [];
    bump(titleTerms, TITLE_WEIGHT);
    bump(authorTerms, AUTHOR_WEIGHT);
    bump(bodyWords, BODY_WEIGHT);
    const length =
      titleTerms.length * TITLE_WEIGHT + authorTerms.length * AUTHOR_WEIGHT + bodyWords.length * BODY_WEIGHT;

    const published = article.publishedAt ? new Date(article.publishedAt).getTime() : NaN;
    const titleSeq = words(article.title).map(stem);
    const titleParts = article.title
      .split(/[:?!\u2014\u2013|]|\s-\s/)
      .map((p) => words(p).map(stem))
      .filter((p) => p.length >= 2);
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
      length,
      tf,
    };
    this.slots[slot] = doc;
    this.byId.set(article.id, slot);
    this.live++;
    this.totalLength += length;

    for (const [t, f] of tf) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = { slots: [], tfs: [] }));
      p.slots.push(slot);
      p.tfs.push(f);
    }
    for (const t of new Set(titleTerms)) {
      let p = this.titlePostings.get(t);
      if (!p) this.titlePostings.set(t, (p = []));
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
      for (const slot of this.titlePostings.get(t) ?? []) {
        const doc = this.slots[slot]!;
        hits.set(doc, (hits.get(doc) ?? 0) + 1);
      }
    }
    return hits;
  }

  /** Inverse document frequency (BM25 flavour, always positive). */
  idf(term: string): number {
    const df = this.postings.get(term)?.slots.length ?? 0;
    return Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
  }

  /**
   * BM25F scores of articles for a bag of query terms. `accept` filters
   * articles (e.g. the recency window); `maxScore` is the score an ideal
   * article would reach on the query words the index knows, used by callers
   * to judge how strong a match is; `matched` counts the distinct query
   * words each article contains.
   */
  bm25(
    queryTerms: string[],
    accept: (doc: IndexedArticle) => boolean = () => true,
  ): { scores: Map<IndexedArticle, number>; matched: Map<IndexedArticle, number>; maxScore: number } {
    const k1 = 1.2;
    const b = 0.75;
    const avg = this.live ? this.totalLength / this.live : 1;
    const qtf = new Map<string, number>();
    for (const t of queryTerms) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const acc = new Float64Array(this.slots.length);
    const hits = new Int32Array(this.slots.length);
    const touched: number[] = [];
    const verdict = new Int8Array(this.slots.length); // 0 unknown, 1 yes, -1 no
    let maxScore = 0;
    for (const [t, n] of qtf) {
      const p = this.postings.get(t);
      const idf = this.idf(t);
      const qw = (2 * n) / (1 + n); // saturating weight for repeated query words
      // Words no article uses (other languages, names) cannot be explained by
      // any article, so they do not count against the best one.
      if (!p) continue;
      maxScore += idf * qw * (k1 + 1);
      for (let i = 0; i < p.slots.length; i++) {
        const slot = p.slots[i];
        if (verdict[slot] === 0) verdict[slot] = accept(this.slots[slot]!) ? 1 : -1;
        if (verdict[slot] < 0) continue;
        const doc = this.slots[slot]!;
        const f = p.tfs[i];
        const s = (idf * qw * f * (k1 + 1)) / (f + k1 * (1 - b + (b * doc.length) / avg));
        if (acc[slot] === 0) touched.push(slot);
        acc[slot] += s;
        hits[slot]++;
      }
    }
    const scores = new Map<IndexedArticle, number>();
    const matched = new Map<IndexedArticle, number>();
    for (const slot of touched) {
      scores.set(this.slots[slot]!, acc[slot]);
      matched.set(this.slots[slot]!, hits[slot]);
    }
    return { scores, matched, maxScore };
  }
}
