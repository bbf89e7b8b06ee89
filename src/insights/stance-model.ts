// The stance classifier editors teach: multinomial naive Bayes over a
// letter's words (binarised per letter, which suits short texts) and its
// cue features, learnt incrementally from the stances editors set, like
// screening's SpamModel. Its opinion is bounded and grows with the number
// of decisions it has seen, so a young model cannot overrule the cues.

import { stem, words } from '../matching/text.ts';
import { AGREE_CUES, CONCESSION_CUES, DISAGREE_CUES, PhraseMatcher, SARCASM_CUES, cueWords } from './cues.ts';
import { letterProse } from './text.ts';
import { STANCES, type Stance } from './types.ts';

export interface StanceModelJSON {
  version: 1;
  docs: Record<Stance, number>;
  words: Record<Stance, number>;
  /** token -> [count in agree, disagree, mixed] */
  counts: Record<string, [number, number, number]>;
}

const INDEX: Record<Stance, 0 | 1 | 2> = { agree: 0, disagree: 1, mixed: 2 };
const CUES: [string, PhraseMatcher][] = [
  ['agree', new PhraseMatcher(AGREE_CUES)],
  ['disagree', new PhraseMatcher(DISAGREE_CUES)],
  ['concession', new PhraseMatcher(CONCESSION_CUES)],
  ['sarcasm', new PhraseMatcher(SARCASM_CUES)],
];

export class StanceModel {
  private docs: Record<Stance, number> = { agree: 0, disagree: 0, mixed: 0 };
  private words: Record<Stance, number> = { agree: 0, disagree: 0, mixed: 0 };
  private counts = new Map<string, [number, number, number]>();
  /** Vocabulary cap: rare tokens are pruned beyond it to bound memory. */
  maxVocabulary = 50_000;

  static tokens(text: string): string[] {
    const prose = letterProse(typeof text === 'string' ? text : '').slice(0, 20_000);
    const out = new Set<string>();
    // Function words stay: "but", "not", "too" carry stance.
    for (const w of words(prose)) if (w.length >= 2 && w.length <= 30) out.add(stem(w));
    const cw = cueWords(prose);
    for (const [name, m] of CUES) if (m.match(cw).length) out.add(`cue:${name}`);
    return [...out];
  }

  learn(text: string, stance: Stance): void {
    this.update(text, stance, 1);
  }

  /** Takes back an earlier decision (an editor changed a letter's stance). */
  unlearn(text: string, stance: Stance): void {
    this.update(text, stance, -1);
  }

  /** Decisions seen so far. */
  get size(): number {
    return this.docs.agree + this.docs.disagree + this.docs.mixed;
  }

  private update(text: string, stance: Stance, delta: 1 | -1): void {
    if (!(stance in INDEX)) return;
    const k = INDEX[stance];
    const tokens = StanceModel.tokens(text);
    this.docs[stance] = Math.max(0, this.docs[stance] + delta);
    for (const t of tokens) {
      let c = this.counts.get(t);
      if (!c) {
        if (delta < 0) continue;
        this.counts.set(t, (c = [0, 0, 0]));
      }
      c[k] = Math.max(0, c[k] + delta);
      if (c[0] === 0 && c[1] === 0 && c[2] === 0) this.counts.delete(t);
    }
    this.words[stance] = Math.max(0, this.words[stance] + tokens.length * delta);
    if (this.counts.size > this.maxVocabulary) {
      for (const [t, c] of this.counts) if (c[0] + c[1] + c[2] <= 1) this.counts.delete(t);
    }
  }

  /**
   * Log-scores per stance to add to the cue model's, centred, bounded to ±3
   * and scaled by how many decisions it has seen (none until it has seen
   * two stances; full weight from 12 decisions).
   */
  logits(text: string): Record<Stance, number> | null {
    const seen = STANCES.filter((s) => this.docs[s] > 0);
    if (seen.length < 2) return null;
    const v = this.counts.size + 1;
    const total = this.size;
    const score: Record<Stance, number> = { agree: 0, disagree: 0, mixed: 0 };
    let used = 0;
    const tokens = StanceModel.tokens(text);
    for (const t of tokens) {
      const c = this.counts.get(t);
      if (!c) continue;
      used++;
      for (const s of STANCES) score[s] += Math.log((c[INDEX[s]] + 1) / (this.words[s] + v));
    }
    // Token evidence is not independent: dividing by sqrt(n) keeps long letters from shouting.
    const norm = used ? 1 / Math.sqrt(used) : 0;
    for (const s of STANCES) {
      const prior = Math.log((this.docs[s] + 1) / (total + 3));
      score[s] = score[s] * norm + prior;
    }
    const mean = (score.agree + score.disagree + score.mixed) / 3;
    const trust = Math.min(1, total / 12);
    const out: Record<Stance, number> = { agree: 0, disagree: 0, mixed: 0 };
    for (const s of STANCES) out[s] = Math.max(-3, Math.min(3, score[s] - mean)) * trust;
    return out;
  }

  toJSON(): StanceModelJSON {
    return { version: 1, docs: { ...this.docs }, words: { ...this.words }, counts: Object.fromEntries(this.counts) };
  }

  static fromJSON(json: StanceModelJSON | null | undefined): StanceModel {
    const m = new StanceModel();
    if (json?.version !== 1) return m;
    m.docs = { agree: json.docs?.agree ?? 0, disagree: json.docs?.disagree ?? 0, mixed: json.docs?.mixed ?? 0 };
    m.words = { agree: json.words?.agree ?? 0, disagree: json.words?.disagree ?? 0, mixed: json.words?.mixed ?? 0 };
    for (const [t, c] of Object.entries(json.counts ?? {})) m.counts.set(t, [c[0] ?? 0, c[1] ?? 0, c[2] ?? 0]);
    return m;
  }
}
