// Near-duplicate campaign clustering, incremental and paragraph-level.
//
// Each letter becomes a few "units": the whole letter and, when it has
// several, each paragraph of at least `minShingles` shingles. Every unit gets
// a MinHash signature; LSH bands find earlier units that probably share most
// of their shingles, and the estimated containment confirms them. Two
// letters with one confirmed unit pair are linked, and linked letters form a
// campaign (union-find), so a campaign shows up from its second letter on.
// Paragraph units are what catch generators that mix and match paragraphs:
// two letters sharing one generated paragraph out of four are linked even
// though the letters as wholes are mostly different.
//
// A second kind of campaign is found beside these template campaigns:
// talking-point campaigns (talking-points.ts), where each member writes their
// own letter around the same few phrases. A letter belongs to at most one
// campaign in the answers: its template campaign when it has one, else its
// talking-point campaign; `Campaign.kind` says which.
//
// Persistence: `add` returns a small plain record (signatures, the text of
// paragraphs that matched, and the letter's phrase pairs). Store the records
// in arrival order; replaying them with `CampaignIndex.restore` rebuilds
// exactly the same clusters under the same options (records made under
// looser confirmation, before `minAgreeing`, may replay into fewer links;
// letters keep their stored campaign until one is relabelled).

import { Int32Chunks } from './int32-chunks.ts';
import { LetterIds } from './letter-ids.ts';
import { LshTable, MinHasher, truncate } from './minhash-lsh.ts';
import { shingleText } from './shingles.ts';
import { TalkingPointIndex, writerKey, type TalkingPointOptions, type TalkingPointRecord } from './talking-points.ts';
import { grown } from './typed-arrays.ts';

export type CampaignKind = 'template' | 'talking_points';

export interface CampaignOptions {
  /**
   * LSH bands x rows = signature length. 12 x 2 finds a pair of Jaccard 0.6
   * with probability 0.995 (0.5: 0.97, 0.4: 0.88), at 4 bytes per band and
   * 2 per value per unit: 96 bytes a paragraph. (It was 20 x 3, 0.99 at 0.6
   * but 0.73 at 0.4, and 1.44 GB at a million letters.) Records written with
   * longer signatures are read by their first values.
   */
  bands?: number;
  rows?: number;
  /**
   * Two units are the same text when the smaller is contained in the larger
   * to this degree (estimated from MinHash Jaccard and the shingle counts).
   * Containment rather than Jaccard, so a paragraph with sentences added,
   * or a paragraph inside a letter written as one block, still matches.
   */
  threshold?: number;
  /** ... and they share at least this many shingles (about one long sentence). */
  minShared?: number;
  /**
   * ... and their signatures agree in at least this many values besides the
   * rows of the band that found them. Between units of very unequal size a
   * few agreements already read as containment: a 41-shingle paragraph and a
   * 159-shingle letter sharing one sentence (containment 0.2) agree in 3 of
   * the other 22 values 6% of the time, which read as 0.59, and chained two
   * campaigns on 3 of 30 generated desks. Four: 1.5%, and none of the 30.
   * The price: a paragraph wholly inside a letter written as one block, at a
   * quarter of its size or less, links a quarter to a third less often when
   * it is found at all (about 0.35 → 0.25); a campaign's varied copies link
   * it through each other, verbatim copies do not help. Units of similar
   * size (Jaccard 0.6 and up) are not affected. Never more than the values
   * a band leaves.
   */
  minAgreeing?: number;
  /** Paragraphs with fewer shingles (greetings, sign-offs, names) are not units. */
  minShingles?: number;
  /** Bucket entries read per band per query (bounds work on giant campaigns). */
  maxScan?: number;
  /** How many similar letters `add` reports. */
  maxSimilar?: number;
  /** Talking-point campaigns: their options, or false to look for template campaigns only. */
  talkingPoints?: TalkingPointOptions | false;
}

export const DEFAULT_CAMPAIGN_OPTIONS: Required<CampaignOptions> = {
  talkingPoints: {},
  bands: 12,
  rows: 2,
  threshold: 0.55,
  minShared: 10,
  minAgreeing: 4,
  minShingles: 8,
  maxScan: 8,
  maxSimilar: 10,
};

/** What to persist per letter (plain JSON). */
export interface CampaignRecord {
  letterId: string;
  /** Arrival time, ms since epoch. */
  at: number;
  /** Unit 0 is the whole letter, then its paragraphs (when it has several). */
  units: CampaignRecordUnit[];
  /** unit index -> paragraph text, for paragraphs that matched an earlier letter (the shared text). */
  shared?: Record<string, string>;
  /** The letter's phrase pairs, for talking-point campaigns (absent in records written before them). */
  points?: TalkingPointRecord;
}

export interface CampaignRecordUnit {
  /** base64 of the 16-bit MinHash signature (little-endian). */
  sig: string;
  shingles: number;
  paragraph: boolean;
}

/** Where the lead keeps the records (a table with letter id, time, JSON). */
export interface CampaignStore {
  append(record: CampaignRecord): void | Promise<void>;
  /** All records in the order they were appended. */
  records(): Iterable<CampaignRecord> | AsyncIterable<CampaignRecord>;
}

export class MemoryCampaignStore implements CampaignStore {
  private list: CampaignRecord[] = [];
  append(record: CampaignRecord): void {
    this.list.push(record);
  }
  records(): Iterable<CampaignRecord> {
    return this.list;
  }
}

export interface SimilarLetter {
  letterId: string;
  /** Best estimated containment (0..1) of a unit of one letter in a unit of the other. */
  similarity: number;
}

export interface AddResult {
  /** The campaign the letter now belongs to (id of its first letter), or null. */
  campaignId: string | null;
  /** Its kind: a template copied with edits, or letters written around shared talking points. */
  kind: CampaignKind | null;
  similarTo: SimilarLetter[];
  /** Earlier campaign ids that this letter joined into `campaignId`. */
  merged: string[];
  record: CampaignRecord;
}

export interface SharedText {
  text: string;
  /** Letters of the campaign containing (a near copy of) this paragraph. */
  letters: number;
}

export interface Campaign {
  id: string;
  kind: CampaignKind;
  size: number;
  firstSeen: Date;
  lastSeen: Date;
  members: string[];
  /**
   * What the campaign's letters share, most widespread first: paragraphs of a
   * template campaign, the talking points (phrases) of a talking-point one.
   */
  sharedText: SharedText[];
}

/** Optional facts about a letter that sharpen campaign detection. */
export interface LetterMeta {
  /** The writer (e.g. normalised address): one writer's letters never make a talking-point campaign. */
  writer?: string | null;
}

interface PreparedUnit {
  sig: Uint16Array;
  shingles: number;
  paragraph: boolean;
  text: string | null; // paragraph text, when known
  /** The signature as stored (base64), when it is exactly `sig`: a replayed record is not encoded again. */
  encoded?: string;
}

export class CampaignIndex {
  readonly options: Required<CampaignOptions>;
  private hasher: MinHasher;
  private table: LshTable;
  // letters
  private ids = new LetterIds();
  private parent = new Int32Array(1024);
  private size = new Int32Array(1024);
  private nextMember = new Int32Array(1024);
  // A campaign's first and last arrival are read off its members when it is described.
  private arrival = new Float64Array(1024);
  // A letter's units are numbered consecutively from firstUnit[letter].
  private firstUnit = new Int32Array(1024);
  // 1 for a removed letter.
  private removed = new Uint8Array(1024);
  // Per unit, in chunks (no doubling slack): its letter (-1 once removed),
  // and its paragraph group (-1 when in none, -2 for a whole-letter unit).
  // The letter could be found by binary search in firstUnit, but that made
  // queries 17% slower at a million letters (hundreds of candidates each).
  private unitLetter = new Int32Chunks();
  private unitGroup = new Int32Chunks();
  // paragraph groups (near copies of one paragraph across letters)
  private groupText: string[] = [];
  private groupLetters: number[] = [];
  private groupAnchor: number[] = [];
  // Letter whose paragraph text is groupText (cleared when it is removed).
  private groupSource: number[] = [];
  // Talking-point campaigns over the same letter numbers (null: switched off).
  private points: TalkingPointIndex | null;

  constructor(options: CampaignOptions = {}) {
    this.options = { ...DEFAULT_CAMPAIGN_OPTIONS, ...options };
    this.hasher = new MinHasher(this.options.bands * this.options.rows);
    this.table = new LshTable({ bands: this.options.bands, rows: this.options.rows });
    this.points = this.options.talkingPoints === false ? null : new TalkingPointIndex(this.options.talkingPoints);
  }

  static async restore(store: CampaignStore, options: CampaignOptions = {}): Promise<CampaignIndex> {
    const index = new CampaignIndex(options);
    for await (const record of store.records()) index.addRecord(record);
    return index;
  }

  get letterCount(): number {
    return this.ids.size;
  }

  /** Bytes of typed-array state (signatures, buckets, union-find). */
  get bytes(): number {
    return (
      this.table.bytes +
      this.ids.bytes +
      this.parent.byteLength * 4 +
      this.arrival.byteLength +
      this.removed.byteLength +
      this.unitLetter.bytes +
      this.unitGroup.bytes
    );
  }

  /**
   * Adds a letter and links it to earlier near-duplicates (a template
   * campaign) or, failing that, to earlier letters written around the same
   * talking points.
   */
  add(letterId: string, text: string, at: Date | number = Date.now(), meta: LetterMeta = {}): AddResult {
    const units = this.prepare(text);
    const time = typeof at === 'number' ? at : at.getTime();
    const writer = meta.writer ? writerKey(meta.writer) : undefined;
    return this.insert(letterId, time, units, this.points ? { text, writer } : null);
  }

  /** Replays a stored record (signatures already computed). */
  addRecord(record: CampaignRecord): AddResult {
    const size = this.hasher.size;
    const units = record.units.map((u, i) => ({
      sig: decodeSignature(u.sig, size),
      shingles: u.shingles,
      paragraph: u.paragraph,
      text: record.shared?.[i] ?? null,
      // A signature written with more bands is encoded again, cut to this index's length.
      encoded: u.sig.length === base64Length(2 * size) ? u.sig : undefined,
    }));
    return this.insert(record.letterId, record.at, units, record.points ?? null);
  }

  /**
   * Adds a text letters answer (an article): phrases quoted from it are
   * agreement, not talking points. Call for the articles letters are about;
   * it affects letters added afterwards (their records keep the effect).
   */
  addBackground(text: string): void {
    this.points?.addBackground(text);
  }

  /** Letters an unseen text would be linked to, without adding it. */
  query(text: string): SimilarLetter[] {
    const found = new Map<number, number>();
    for (const u of this.prepare(text)) this.match(u, (letter, sim) => {
      if (sim > (found.get(letter) ?? 0)) found.set(letter, sim);
    });
    return this.topSimilar(found);
  }

  campaignOf(letterId: string): string | null {
    const l = this.ids.get(letterId);
    return l === undefined ? null : this.campaignOfLetter(l);
  }

  /** The kind of the letter's campaign, or null when it has none. */
  campaignKindOf(letterId: string): CampaignKind | null {
    const l = this.ids.get(letterId);
    return l === undefined ? null : this.kindOfLetter(l);
  }

  campaign(campaignId: string): Campaign | null {
    const l = this.ids.get(campaignId);
    if (l === undefined) return null;
    const r = this.find(l);
    if (this.size[r] >= 2) {
      if (r !== l) return null;
      return this.describe(r, this.groupsByRoot().get(r) ?? []);
    }
    const tp = this.pointMembers(l);
    return tp && tp[0] === l ? this.describePoints(tp) : null;
  }

  /** All campaigns (clusters of two or more letters) of both kinds, largest first. */
  campaigns(): Campaign[] {
    const groups = this.groupsByRoot();
    const out: Campaign[] = [];
    for (let l = 0; l < this.ids.size; l++) {
      if (this.parent[l] === l && this.size[l] >= 2) out.push(this.describe(l, groups.get(l) ?? []));
    }
    if (this.points) {
      const seen = new Set<number>();
      for (let l = 0; l < this.ids.size; l++) {
        const root = this.points.find(l);
        if (seen.has(root)) continue;
        seen.add(root);
        const tp = this.pointMembers(l);
        if (tp) out.push(this.describePoints(tp));
      }
    }
    return out.sort((a, b) => b.size - a.size || a.firstSeen.getTime() - b.firstSeen.getTime());
  }

  /**
   * Erases a letter (privacy): its signatures are zeroed and it no longer
   * matches, it leaves its campaign's members, counts and dates, and a
   * shared paragraph text taken from it is dropped (a later copy replaces
   * it). Links it made stay: letters it joined remain one campaign. When it
   * founded its campaign, the oldest remaining member becomes the campaign
   * id. Delete its record from the store too; a restore then rebuilds the
   * clusters of the remaining records. Returns false for unknown ids.
   */
  remove(letterId: string): boolean {
    const l = this.ids.get(letterId);
    if (l === undefined) return false;
    this.ids.remove(l);
    this.points?.remove(l);
    const end = l + 1 < this.ids.size ? this.firstUnit[l + 1] : this.table.unitCount;
    this.removed[l] = 1;
    for (let unit = this.firstUnit[l]; unit < end; unit++) {
      this.table.erase(unit);
      this.unitLetter.set(unit, -1);
      const g = this.unitGroup.get(unit);
      if (g < 0) continue;
      this.groupLetters[g]--;
      if (this.groupSource[g] === l) {
        this.groupText[g] = '';
        this.groupSource[g] = -1;
      }
    }
    const root = this.find(l);
    // Unlink l from the circular member list.
    let prev = l;
    while (this.nextMember[prev] !== l) prev = this.nextMember[prev];
    this.nextMember[prev] = this.nextMember[l];
    this.nextMember[l] = l;
    const left = this.size[root] - 1;
    if (left === 0) {
      this.size[root] = 0;
      return true;
    }
    let keep = root;
    if (root === l) {
      // The oldest remaining member becomes the root (and the campaign id).
      keep = prev;
      for (let m = this.nextMember[prev]; m !== prev; m = this.nextMember[m]) if (m < keep) keep = m;
      this.parent[l] = keep;
      this.parent[keep] = keep;
      this.size[l] = 0;
    }
    this.size[keep] = left;
    return true;
  }

  // --- internals -----------------------------------------------------------

  private prepare(text: string): PreparedUnit[] {
    const { minShingles } = this.options;
    const shingled = shingleText(text);
    const units: PreparedUnit[] = [];
    if (shingled.all.length < minShingles) return units;
    // Hash each paragraph once; the whole letter's minima are the
    // element-wise minima of its paragraphs' (a shingle repeated across
    // paragraphs does not change a minimum). One buffer for all minima and
    // one for all signatures: no typed-array allocation per unit.
    const size = this.hasher.size;
    const paras = shingled.paragraphs;
    const mins = new Uint32Array((paras.length + 1) * size);
    const whole = mins.subarray(0, size).fill(0xffffffff);
    for (let p = 0; p < paras.length; p++) {
      const m = this.hasher.minima(paras[p].shingles, mins.subarray((p + 1) * size, (p + 2) * size));
      for (let i = 0; i < size; i++) if (m[i] < whole[i]) whole[i] = m[i];
    }
    const qualifying: number[] = [];
    for (let p = 0; p < paras.length; p++) if (paras[p].shingles.length >= minShingles) qualifying.push(p);
    const nUnits = qualifying.length >= 2 ? 1 + qualifying.length : 1;
    const sigs = new Uint16Array(nUnits * size);
    units.push({ sig: truncate(whole, sigs.subarray(0, size)), shingles: shingled.all.length, paragraph: false, text: null });
    if (nUnits > 1) {
      qualifying.forEach((p, k) => {
        const sig = truncate(mins.subarray((p + 1) * size, (p + 2) * size), sigs.subarray((k + 1) * size, (k + 2) * size));
        units.push({ sig, shingles: paras[p].shingles.length, paragraph: true, text: paras[p].text });
      });
    }
    return units;
  }

  /**
   * Calls `hit(letter, containment, unit)` for every confirmed earlier unit.
   * From Jaccard J and set sizes a, b: |A and B| = J (a + b) / (1 + J).
   */
  private match(u: PreparedUnit, hit: (letter: number, sim: number, unit: number) => void): void {
    const { maxScan, threshold, minShared, minAgreeing, rows, bands } = this.options;
    const width = rows * bands;
    this.table.candidates(u.sig, maxScan, (unit) => {
      // A candidate is found because the rows of one band agree: they agree
      // by construction and are no evidence, so Jaccard is estimated from the
      // other values. Counting them, two chance agreements between a
      // paragraph and a long letter (29 and 210 shingles, one in common) read
      // as containment 0.63, and unrelated letters chained into campaigns.
      // (With one band, every value is the band's: nothing is left to estimate from but all of them.)
      const agreed = this.table.similarity(unit, u.sig);
      if (width > rows && Math.round(agreed * width) - rows < Math.min(minAgreeing, width - rows)) return;
      const j = width > rows ? Math.max(0, (agreed * width - rows) / (width - rows)) : agreed;
      const n = this.table.shingleCount(unit);
      const shared = (j * (n + u.shingles)) / (1 + j);
      const containment = Math.min(1, shared / Math.min(n, u.shingles));
      const letter = this.unitLetter.get(unit);
      if (letter >= 0 && containment >= threshold && shared >= minShared) hit(letter, containment, unit);
    });
  }

  private insert(
    letterId: string,
    at: number,
    units: PreparedUnit[],
    points: { text: string; writer: number | undefined } | TalkingPointRecord | null,
  ): AddResult {
    if (this.ids.get(letterId) !== undefined) throw new Error(`letter ${letterId} is already in the campaign index`);
    const found = new Map<number, number>();
    const bestUnit: { unit: number; sim: number }[] = [];
    units.forEach((u, i) => {
      let best = { unit: -1, sim: 0 };
      this.match(u, (letter, sim, unit) => {
        if (sim > (found.get(letter) ?? 0)) found.set(letter, sim);
        // Shared text is tracked for paragraph units matching paragraph units.
        if (u.paragraph && this.unitGroup.get(unit) !== -2 && sim > best.sim) best = { unit, sim };
      });
      bestUnit[i] = best;
    });

    const l = this.newLetter(letterId, at);
    this.firstUnit[l] = this.table.unitCount;
    const shared: Record<string, string> = {};
    units.forEach((u, i) => {
      const unit = this.table.insert(u.sig, u.shingles);
      this.unitLetter.set(unit, l);
      this.unitGroup.set(unit, u.paragraph ? -1 : -2);
      const best = bestUnit[i];
      if (!u.paragraph || best.unit < 0) return;
      let g = this.unitGroup.get(best.unit);
      if (g < 0) {
        g = this.groupText.length;
        this.groupText.push(u.text ?? '');
        this.groupLetters.push(1);
        this.groupAnchor.push(this.unitLetter.get(best.unit));
        this.groupSource.push(l);
        this.unitGroup.set(best.unit, g);
      } else if (this.groupText[g] === '' && u.text !== null) {
        // The text's letter was removed: this letter's copy stands in.
        this.groupText[g] = u.text;
        this.groupSource[g] = l;
      }
      this.groupLetters[g]++;
      this.unitGroup.set(unit, g);
      if (u.text !== null) shared[i] = u.text;
    });

    const merged: string[] = [];
    for (const other of found.keys()) {
      const ro = this.find(other);
      const rl = this.find(l);
      if (ro === rl) continue;
      // The root with the older founder keeps its id; the other campaign is merged.
      const [keep, gone] = ro < rl ? [ro, rl] : [rl, ro];
      if (this.size[gone] >= 2) merged.push(this.ids.id(gone));
      this.union(keep, gone);
    }
    const record: CampaignRecord = {
      letterId,
      at,
      units: units.map((u) => ({ sig: u.encoded ?? encodeSignature(u.sig), shingles: u.shingles, paragraph: u.paragraph })),
    };
    if (Object.keys(shared).length) record.shared = shared;

    // Talking points: only for a letter that joined no template campaign, and
    // only with letters that are in none.
    if (this.points && points) {
      const template = this.size[this.find(l)] >= 2;
      const eligible = (o: number) => this.size[this.find(o)] < 2;
      let added;
      if ('words' in points) {
        added = this.points.addRecord(l, at, points, { link: !template, eligible });
      } else {
        const prepared = TalkingPointIndex.prepare(points.text);
        added = this.points.add(l, at, prepared.words, { writer: points.writer, link: !template, eligible, text: points.text, spans: prepared.spans });
      }
      record.points = added.record;
      // Linked letters are similar letters too (similarity: shared phrases, four or more = 1).
      for (const { letter, phrases } of added.linked) {
        const sim = Math.min(1, phrases / 4);
        if (sim > (found.get(letter) ?? 0)) found.set(letter, sim);
      }
      // Talking-point campaigns the letter joined together: all but the surviving id are merged.
      const now = this.campaignOfLetter(l);
      for (const members of added.joined) {
        const was = this.pointCampaign(members);
        const id = was === null ? null : this.ids.id(was);
        if (id !== null && id !== now && !merged.includes(id)) merged.push(id);
      }
    } else if (this.points) {
      // A record written before talking points: the letter takes no part in them.
      this.points.add(l, at, new Uint32Array(0), { link: false });
    }
    const kind = this.kindOfLetter(l);
    const similarTo = this.topSimilar(found);
    return { campaignId: this.campaignOfLetter(l), kind, similarTo, merged, record };
  }

  // By letter number: the letter just added is not looked up by its id again.
  private campaignOfLetter(l: number): string | null {
    const r = this.find(l);
    if (this.size[r] >= 2) return this.ids.id(r);
    const tp = this.pointMembers(l);
    return tp ? this.ids.id(tp[0]!) : null;
  }

  private kindOfLetter(l: number): CampaignKind | null {
    if (this.size[this.find(l)] >= 2) return 'template';
    return this.pointMembers(l) ? 'talking_points' : null;
  }

  private topSimilar(found: Map<number, number>): SimilarLetter[] {
    return [...found]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, this.options.maxSimilar)
      .map(([letter, sim]) => ({ letterId: this.ids.id(letter), similarity: Math.round(sim * 1000) / 1000 }));
  }

  private newLetter(id: string, at: number): number {
    const l = this.ids.add(id);
    if (l === this.parent.length) {
      // Grown by half (not doubled): spare capacity stays under half of what is held.
      const n = l + (l >> 1);
      this.parent = grown(this.parent, n);
      this.size = grown(this.size, n);
      this.nextMember = grown(this.nextMember, n);
      this.arrival = grown(this.arrival, n);
      this.firstUnit = grown(this.firstUnit, n);
      this.removed = grown(this.removed, n);
    }
    this.parent[l] = l;
    this.size[l] = 1;
    this.nextMember[l] = l;
    this.arrival[l] = at;
    return l;
  }

  private find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]]; // path halving
      x = p[x];
    }
    return x;
  }

  // Root `keep` stays root: the campaign id is its (oldest) founder.
  private union(keep: number, gone: number): void {
    this.parent[gone] = keep;
    this.size[keep] += this.size[gone];
    // Splice the two circular member lists into one.
    const a = this.nextMember[keep];
    this.nextMember[keep] = this.nextMember[gone];
    this.nextMember[gone] = a;
  }

  /**
   * The talking-point campaign's letters that are in no template campaign,
   * oldest first, when there are two or more (else null): a letter's
   * template campaign comes first.
   */
  private pointMembers(l: number): number[] | null {
    if (!this.points) return null;
    return this.pointCampaignMembers(this.points.members(this.points.find(l)));
  }

  private pointCampaignMembers(members: number[]): number[] | null {
    const out = members.filter((m) => this.size[this.find(m)] < 2 && !this.removed[m]).sort((a, b) => a - b);
    return out.length >= 2 ? out : null;
  }

  /** The campaign (its oldest letter) of a talking-point member list, or null when it is no campaign. */
  private pointCampaign(members: number[]): number | null {
    return this.pointCampaignMembers(members)?.[0] ?? null;
  }

  private describePoints(members: number[]): Campaign {
    let first = Infinity;
    let last = -Infinity;
    for (const m of members) {
      first = Math.min(first, this.arrival[m]);
      last = Math.max(last, this.arrival[m]);
    }
    return {
      id: this.ids.id(members[0]!),
      kind: 'talking_points',
      size: members.length,
      firstSeen: new Date(first),
      lastSeen: new Date(last),
      members: members.map((m) => this.ids.id(m)),
      sharedText: this.points!.phrases(members),
    };
  }

  private groupsByRoot(): Map<number, number[]> {
    const map = new Map<number, number[]>();
    for (let g = 0; g < this.groupText.length; g++) {
      const r = this.find(this.groupAnchor[g]);
      let list = map.get(r);
      if (!list) map.set(r, (list = []));
      list.push(g);
    }
    return map;
  }

  private describe(root: number, groups: number[]): Campaign {
    const members: number[] = [];
    let first = Infinity;
    let last = -Infinity;
    let m = root;
    do {
      members.push(m);
      first = Math.min(first, this.arrival[m]);
      last = Math.max(last, this.arrival[m]);
      m = this.nextMember[m];
    } while (m !== root);
    members.sort((a, b) => a - b);
    const size = this.size[root];
    const ranked = groups
      .filter((g) => this.groupText[g] !== '')
      .map((g) => ({ text: this.groupText[g], letters: Math.min(size, this.groupLetters[g]) }))
      .sort((a, b) => b.letters - a.letters);
    // "Common to most members"; when the campaign mixes many variants, the
    // most widespread paragraphs still say what it is about.
    const common = ranked.filter((s) => s.letters * 2 >= size);
    return {
      id: this.ids.id(root),
      kind: 'template',
      size,
      firstSeen: new Date(first),
      lastSeen: new Date(last),
      members: members.map((m) => this.ids.id(m)),
      sharedText: common.length ? common : ranked.slice(0, 3),
    };
  }
}

export function encodeSignature(sig: Uint16Array): string {
  const bytes = new Uint8Array(sig.length * 2);
  for (let i = 0; i < sig.length; i++) {
    bytes[2 * i] = sig[i] & 0xff;
    bytes[2 * i + 1] = sig[i] >>> 8;
  }
  return Buffer.from(bytes).toString('base64');
}

/** Characters of the (padded) base64 of `bytes` bytes. */
function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/**
 * A stored signature, cut to `length` values: the hash functions are drawn in
 * order from one seed, so the first values of a longer signature (records
 * written with more bands) are this index's signature.
 */
export function decodeSignature(b64: string, length: number): Uint16Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length < length * 2) throw new Error(`signature has ${bytes.length / 2} values, index expects ${length}`);
  const sig = new Uint16Array(length);
  for (let i = 0; i < length; i++) sig[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return sig;
}
