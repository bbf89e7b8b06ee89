// Talking-point campaigns: an advocacy group hands out a few phrases ("a
// blank check", "not one more dollar without a full, independent audit") and
// each member writes a letter of their own around them. The letters are not
// near-duplicates (the template detector in campaigns.ts does not link them),
// but letters from different writers, close in time, share several
// distinctive multi-word phrases that the rest of the letters do not use.
//
// A letter's phrases are its pairs of neighbouring content words (stopwords
// and everyday words skipped: "blank check", "independent audit"); runs of
// such pairs are one phrase. Two letters are linked when they share at least
// MIN_PHRASES different phrases and MIN_PAIRS pairs between them (a phrase
// counts at most MAX_PAIRS_PER_PHRASE pairs, so one long shared quotation is
// one phrase, not several). A pair does not count when it is common among the
// letters around the new one (those sharing two pairs or more with it, the
// compared campaign's own letters aside), and a shared phrase made only of
// pairs of the articles letters answer (addBackground) is a quotation: two
// readers who both mention "the Pakistani army" or quote the same figure of
// the article agree, they do not campaign. Without the articles, readers who
// name the same facts of an article (four or more pairs, in two phrases or
// more) can look like a campaign until the facts are common around them:
// give the index the articles.
// A new letter is compared with each earlier campaign as a whole: it may share
// one talking point with one member and another with the next.
// Linked letters form a campaign (union-find), so a campaign shows up from its
// second letter on; its text is the phrases its letters share.
//
// Incremental and rebuildable like CampaignIndex: `add` returns a small plain
// record (the letter's pair sequence, its writer's hash and the text of
// phrases that linked); replaying the records in order rebuilds the same
// campaigns.

import { phraseChain } from '../matching/evidence.ts';
import { hash32 } from '../matching/text.ts';
import { PairPostings, RecentValues, SequenceLog } from './pair-postings.ts';
import { grown } from './typed-arrays.ts';

export interface TalkingPointOptions {
  /** Different phrases two letters must share. */
  minPhrases?: number;
  /** Shared pairs of content words in all (a phrase counts at most `maxPairsPerPhrase`). */
  minPairs?: number;
  maxPairsPerPhrase?: number;
  /** Letters further apart than this (ms) are not linked. */
  window?: number;
  /**
   * A pair is common, and does not count, when more than this share of the
   * letters around the new one (at least `commonMin`) use it, outside the
   * campaign it is compared with.
   */
  commonShare?: number;
  commonMin?: number;
  /** Letters read per pair when looking for candidates (bounds work on huge campaigns). */
  maxPosting?: number;
  /**
   * Words used by more than this share of all letters (and more than
   * `commonWordMin` letters) are like stopwords here: the language's and the
   * day's most frequent words make no phrase.
   */
  commonWordShare?: number;
  commonWordMin?: number;
}

export const DEFAULT_TALKING_POINT_OPTIONS: Required<TalkingPointOptions> = {
  minPhrases: 2,
  minPairs: 4,
  maxPairsPerPhrase: 3,
  window: 21 * 86_400_000,
  commonShare: 0.3,
  commonMin: 2,
  maxPosting: 2000,
  commonWordShare: 0.5,
  commonWordMin: 10,
};

/** What to persist per letter (plain JSON), inside the campaign record. */
export interface TalkingPointRecord {
  /**
   * base64 of the letter's content words (hash32 of their stems) as uint32,
   * little-endian, 0 where a run of neighbouring content words ends.
   */
  words: string;
  /** hash32 of the writer's key, when known: one writer's letters are never a campaign. */
  writer?: number;
  /** first pair hash of a shared phrase -> the phrase's text, for phrases that linked. */
  texts?: Record<string, string>;
  /** base64 of the letter's pairs that were in the background (articles) when it was added. */
  background?: string;
}

export interface TalkingPointAdd {
  /** Letters this one was linked to (earlier letters sharing the campaign's phrases). */
  linked: { letter: number; phrases: number }[];
  /** The campaigns those letters were in before the link (member lists, one per campaign). */
  joined: number[][];
  record: TalkingPointRecord;
}

const SEPARATOR = 0;

/**
 * A letter's pairs are forgotten (taken out of the postings) once letters
 * arrive more than `window` plus this after it: it can link to none of them,
 * nor to anything later. The margin covers letters screened out of arrival
 * order (retries, a node catching up). It bounds memory by the letters of a
 * few weeks rather than all letters ever (a million: gigabytes).
 */
const FORGET_MARGIN_MS = 7 * 86_400_000;
/** hash32 gives uint32s: -1 is no writer's. */
const NO_WRITER = -1;

export class TalkingPointIndex {
  readonly options: Required<TalkingPointOptions>;
  /** Letters added so far (numbered from 0). */
  private letters = 0;
  /** Per letter not forgotten: its arrival, and the hash32 of its writer (NO_WRITER when unknown). */
  private at = new RecentValues();
  private writer = new RecentValues();
  /** Per letter: its pair hashes in text order, 0 between phrases. */
  private pairs = new SequenceLog();
  private wordDf = new Map<number, number>();
  /** Per letter, over all letters (typed: a JS array is 8 bytes an entry): erased (1), and the union-find of campaigns. */
  private erased = new Uint8Array(1 << 10);
  private parent = new Int32Array(1 << 10);
  private nextMember = new Int32Array(1 << 10);
  /** Pair hash -> the letters using it, ascending (compact: see pair-postings.ts). */
  private postings = new PairPostings();
  /** first pair hash of a shared phrase -> its text, and the letters that share it. */
  private phraseText = new Map<number, string>();
  private phraseLetters = new Map<number, Set<number>>();
  /** Pairs of the texts letters answer (articles): quoting them is agreement, not a campaign. */
  private background = new Set<number>();
  /** Latest arrival seen, and letters before this number have had their pairs forgotten (FORGET_MARGIN_MS). */
  private latest = -Infinity;
  private forgotten = 0;

  constructor(options: TalkingPointOptions = {}) {
    this.options = { ...DEFAULT_TALKING_POINT_OPTIONS, ...options };
  }

  /**
   * A text's content words (0 between runs) and, per pair of neighbouring
   * content words, where it is in the text.
   */
  static prepare(text: string): { words: Uint32Array; spans: Map<number, [number, number]> } {
    const out: number[] = [];
    const spans = new Map<number, [number, number]>();
    for (const p of phraseChain(text)) {
      const a = nonZero(hash32(p.a));
      const b = nonZero(hash32(p.b));
      if (!p.chained) {
        if (out.length) out.push(SEPARATOR);
        out.push(a);
      }
      out.push(b);
      const h = pairHash(a, b);
      if (!spans.has(h)) spans.set(h, [p.from, p.to]);
    }
    return { words: Uint32Array.from(out), spans };
  }

  /**
   * Adds a text that letters answer (an article). Its phrases are shared
   * knowledge: a shared phrase made only of its pairs (a quotation of the
   * article) is agreement, not a talking point. Applies to letters added
   * afterwards; their records carry the effect, so a replay needs no background.
   */
  addBackground(text: string): void {
    const { words } = TalkingPointIndex.prepare(text);
    let prev = SEPARATOR;
    for (const w of words) {
      if (w !== SEPARATOR && prev !== SEPARATOR) this.background.add(pairHash(prev, w));
      prev = w;
    }
  }

  /**
   * Adds letter number `letter` (numbers are given by the caller, in order)
   * and links it to earlier letters when `link` is true. `text` is needed for
   * phrase texts; on replay the record carries them instead.
   */
  add(
    letter: number,
    at: number,
    words: Uint32Array,
    opts: {
      writer?: number;
      /** false: index the letter's phrases but do not link it (a template campaign's letter). */
      link?: boolean;
      /** Earlier letters it may be linked to (default: all). */
      eligible?: (letter: number) => boolean;
      text?: string;
      spans?: Map<number, [number, number]>;
      texts?: Record<string, string>;
      /** On replay: the letter's background pairs as recorded. */
      background?: Iterable<number>;
    } = {},
  ): TalkingPointAdd {
    if (letter !== this.letters) throw new Error(`talking points: letter ${letter} added out of order`);
    const sequence = pairSequence(words, this.commonWords());
    // Pairs it shares with the background: from the background now, from the record on replay.
    const quoted = new Set<number>(opts.background ?? []);
    if (!opts.background) for (const h of sequence) if (h !== SEPARATOR && this.background.has(h)) quoted.add(h);
    this.at.push(at);
    this.writer.push(opts.writer ?? NO_WRITER);
    this.pairs.push(sequence);
    if (letter === this.parent.length) this.growLetters();
    this.letters++;
    this.parent[letter] = letter;
    this.nextMember[letter] = letter;
    const linked = opts.link === false ? [] : this.link(letter, sequence, at, opts.writer, opts.eligible, quoted);

    // Texts of the shared phrases: from the text now, from the record on replay.
    const texts: Record<string, string> = {};
    for (const l of linked) {
      for (const run of l.runs) {
        const key = String(run[0]);
        let t = opts.texts?.[key];
        if (t === undefined && opts.text !== undefined && opts.spans) {
          const from = opts.spans.get(run[0]!)?.[0];
          const to = opts.spans.get(run[run.length - 1]!)?.[1];
          if (from !== undefined && to !== undefined && to > from) t = opts.text.slice(from, to).replace(/\s+/g, ' ').trim().slice(0, 120);
        }
        if (t === undefined) continue;
        texts[key] = t;
        if (!this.phraseText.has(run[0]!)) this.phraseText.set(run[0]!, t);
        let set = this.phraseLetters.get(run[0]!);
        if (!set) this.phraseLetters.set(run[0]!, (set = new Set()));
        set.add(letter);
        set.add(l.letter);
      }
    }
    const joined: number[][] = [];
    const roots = new Set<number>();
    for (const l of linked) {
      const root = this.find(l.letter);
      if (roots.has(root)) continue;
      roots.add(root);
      joined.push(this.members(root));
    }
    for (const l of linked) this.union(l.letter, letter);

    for (const h of new Set(sequence)) if (h !== SEPARATOR) this.postings.add(h, letter);
    for (const w of new Set(words)) if (w !== SEPARATOR) this.wordDf.set(w, (this.wordDf.get(w) ?? 0) + 1);
    this.forgetOld(at);
    const record: TalkingPointRecord = { words: encode(words) };
    if (opts.writer !== undefined) record.writer = opts.writer;
    if (Object.keys(texts).length) record.texts = texts;
    if (quoted.size) record.background = encode(Uint32Array.from(quoted));
    return { linked: linked.map((l) => ({ letter: l.letter, phrases: l.phrases })), joined, record };
  }

  /** Replays a stored record. */
  addRecord(letter: number, at: number, record: TalkingPointRecord, opts: { link?: boolean; eligible?: (letter: number) => boolean } = {}): TalkingPointAdd {
    return this.add(letter, at, decode(record.words), { ...opts, writer: record.writer, texts: record.texts ?? {}, background: record.background ? decode(record.background) : [] });
  }

  /** The letters of the campaign whose root is `root`, in no particular order. */
  members(root: number): number[] {
    const out: number[] = [];
    let m = root;
    do {
      out.push(m);
      m = this.nextMember[m]!;
    } while (m !== root && out.length <= this.letters);
    return out;
  }

  /** Root letter of the letter's campaign (itself when alone). */
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  /** Takes letters far enough in the past (in arrival order) out of the postings. */
  private forgetOld(at: number): void {
    if (at > this.latest) this.latest = at;
    const before = this.latest - this.options.window - FORGET_MARGIN_MS;
    const last = this.letters - 1;
    while (this.forgotten < last && this.at.get(this.forgotten) < before) {
      const l = this.forgotten++;
      for (const h of new Set(this.pairs.get(l))) this.postings.delete(h, l);
      this.pairs.clear(l);
    }
    this.pairs.forgetBefore(this.forgotten);
    this.at.forgetBefore(this.forgotten);
    this.writer.forgetBefore(this.forgotten);
  }

  /** Erases a letter's phrases (privacy): it no longer links; links it made stay. */
  remove(letter: number): void {
    if (letter >= this.letters || this.erased[letter]) return;
    this.erased[letter] = 1;
    for (const h of new Set(this.pairs.get(letter))) {
      this.postings.delete(h, letter);
      this.phraseLetters.get(h)?.delete(letter);
    }
    this.pairs.clear(letter);
  }

  /** The phrases shared by the given letters, most widespread first. */
  phrases(members: number[]): { text: string; letters: number }[] {
    const inCampaign = new Set(members);
    const byText = new Map<string, number>();
    for (const [h, letters] of this.phraseLetters) {
      const text = this.phraseText.get(h);
      if (!text) continue;
      let n = 0;
      for (const l of letters) if (inCampaign.has(l) && !this.erased[l]) n++;
      if (n >= 2) byText.set(text, Math.max(byText.get(text) ?? 0, n));
    }
    // A phrase inside a longer shared phrase is shown once, as the longer one.
    const list = [...byText].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length);
    const out: { text: string; letters: number }[] = [];
    for (const [text, letters] of list) {
      const lower = text.toLowerCase();
      if (out.some((o) => o.text.toLowerCase().includes(lower))) continue;
      out.push({ text, letters });
      if (out.length >= 10) break;
    }
    return out;
  }

  // --- internals -------------------------------------------------------------

  /** Words too frequent among all letters to make a phrase (see commonWordShare). */
  private commonWords(): (w: number) => boolean {
    const limit = Math.max(this.options.commonWordMin, this.options.commonWordShare * this.letters);
    return (w) => (this.wordDf.get(w) ?? 0) > limit;
  }

  private link(
    letter: number,
    sequence: Uint32Array,
    at: number,
    writer: number | undefined,
    eligible: ((letter: number) => boolean) | undefined,
    quoted: ReadonlySet<number>,
  ): { letter: number; phrases: number; runs: number[][] }[] {
    const { window, maxPosting, commonShare, commonMin, minPhrases, minPairs, maxPairsPerPhrase } = this.options;
    const mine = new Set(sequence);
    mine.delete(SEPARATOR);
    // Earlier letters sharing pairs, within the window, by other writers.
    const shared = new Map<number, number>();
    for (const h of mine) {
      this.postings.forRecent(h, maxPosting, (other) => {
        // Letters in the postings are not forgotten: their arrival and writer are kept.
        if (Math.abs(this.at.get(other) - at) > window) return;
        if (writer !== undefined && this.writer.get(other) === writer) return;
        shared.set(other, (shared.get(other) ?? 0) + 1);
      });
    }
    // The letters around this one: those sharing two pairs or more.
    const around = [...shared].filter(([, n]) => n >= 2).map(([l]) => l);
    if (!around.length) return [];
    const limit = Math.max(commonMin, Math.floor(commonShare * around.length));
    const aroundSet = new Set(around);
    // The letters around that use a pair (the most recent `maxPosting` users read).
    const users = new Map<number, number[]>();
    const usersAround = (h: number) => {
      let list = users.get(h);
      if (!list) {
        const l: number[] = [];
        this.postings.forRecent(h, maxPosting, (other) => {
          if (aroundSet.has(other)) l.push(other);
        });
        users.set(h, (list = l));
      }
      return list;
    };
    // Each earlier campaign (or single letter) is compared as a whole: a letter
    // may share one talking point with one member and another with the next.
    const byRoot = new Map<number, number[]>();
    for (const [other] of shared) {
      if (eligible && !eligible(other)) continue;
      const root = this.find(other);
      let list = byRoot.get(root);
      if (!list) byRoot.set(root, (list = []));
      list.push(other);
    }
    const out: { letter: number; phrases: number; runs: number[][] }[] = [];
    for (const [root, others] of byRoot) {
      if (others.reduce((n, o) => n + (shared.get(o) ?? 0), 0) < minPairs) continue;
      const otherPairs = new Set<number>();
      for (const o of others) for (const h of this.pairs.get(o)) otherPairs.add(h);
      // Use of a pair around this letter, outside the campaign compared with.
      const common = (h: number) => {
        let n = 0;
        for (const l of usersAround(h)) if (this.find(l) !== root && ++n > limit) return true;
        return false;
      };
      // Runs of shared, uncommon pairs are phrases; a phrase made only of
      // pairs of the articles is a quotation, and does not count.
      let pairs = 0;
      const runs: number[][] = [];
      let run: number[] = [];
      let own = 0;
      const close = () => {
        if (own > 0) {
          runs.push(run);
          pairs += Math.min(run.length, maxPairsPerPhrase);
        }
        run = [];
        own = 0;
      };
      for (const h of sequence) {
        if (h !== SEPARATOR && otherPairs.has(h) && !common(h)) {
          run.push(h);
          if (!quoted.has(h)) own++;
        } else {
          close();
        }
      }
      close();
      if (runs.length < minPhrases || pairs < minPairs) continue;
      // Linked to the member it shares most with.
      const best = others.reduce((a, b) => ((shared.get(b) ?? 0) > (shared.get(a) ?? 0) ? b : a));
      out.push({ letter: best, phrases: runs.length, runs });
    }
    return out;
  }

  private growLetters(): void {
    // Grown by half (not doubled): spare capacity stays under half of what is held.
    const n = this.parent.length + (this.parent.length >> 1);
    this.erased = grown(this.erased, n);
    this.parent = grown(this.parent, n);
    this.nextMember = grown(this.nextMember, n);
  }

  private union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    // The older letter's root stays root: the campaign id is its founder.
    if (rb < ra) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    const next = this.nextMember[ra]!;
    this.nextMember[ra] = this.nextMember[rb]!;
    this.nextMember[rb] = next;
  }
}

function nonZero(h: number): number {
  return h === SEPARATOR ? 1 : h;
}

/** Hash of a pair of word hashes (order matters), never 0. */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return nonZero((h ^ (h >>> 13)) >>> 0);
}

/**
 * Pair hashes of a word sequence in order, 0 between runs; a common word
 * breaks a run and makes no pair.
 */
function pairSequence(words: Uint32Array, common: (w: number) => boolean): Uint32Array {
  const out: number[] = [];
  let prev = SEPARATOR;
  for (const w of words) {
    if (w === SEPARATOR || common(w)) {
      if (out.length && out[out.length - 1] !== SEPARATOR) out.push(SEPARATOR);
      prev = SEPARATOR;
      continue;
    }
    if (prev !== SEPARATOR) out.push(pairHash(prev, w));
    prev = w;
  }
  return Uint32Array.from(out);
}

function encode(seq: Uint32Array): string {
  const bytes = Buffer.alloc(seq.length * 4);
  for (let i = 0; i < seq.length; i++) bytes.writeUInt32LE(seq[i]!, 4 * i);
  return bytes.toString('base64');
}

function decode(b64: string): Uint32Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Uint32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32LE(4 * i);
  return out;
}

/** Key of a writer (e.g. a normalised address) as stored in records. */
export function writerKey(writer: string): number {
  return hash32(writer.trim().toLowerCase());
}
