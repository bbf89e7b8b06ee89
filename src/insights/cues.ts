// Stance cues: phrases readers use to say what they think of an article.
// General lists for opinion mail (English first, a few common phrases in
// German, French and Spanish), not written for any one article. Each cue is
// evidence, not a verdict: negation before it flips it ("not wrong"), a
// sarcasm marker in its sentence cancels literal praise, and concession
// ("right about X, but…") is evidence for a mixed stance.

import { fold } from '../matching/text.ts';

/** Phrases that endorse the article or its argument. */
export const AGREE_CUES = [
  'i agree', 'we agree', 'i fully agree', 'agree with', 'couldn t agree more', 'could not agree more', 'spot on', 'well said',
  'well put', 'well argued', 'hits the nail', 'nail on the head', 'exactly right', 'absolutely right', 'quite right', 'is right',
  'are right', 'was right', 'right to', 'rightly', 'correctly', 'accurately', 'thank you for', 'thanks for', 'grateful for',
  'bravo', 'well done', 'kudos', 'excellent article', 'excellent piece', 'fine article', 'great article', 'good article',
  'important article', 'timely', 'long overdue', 'finally someone', 'finally somebody', 'at last someone', 'at last somebody',
  'makes the case', 'persuasive', 'convincing', 'is correct', 'are correct', 'right about', 'precisely', 'needed saying',
  'needs saying', 'brave', 'courageous', 'hat recht', 'haben recht', 'zustimmen', 'a raison', 'avez raison', 'd accord',
  'tiene razon', 'tienen razon', 'de acuerdo',
];

/** Phrases that reject the article or its argument. */
export const DISAGREE_CUES = [
  'i disagree', 'we disagree', 'disagree with', 'wrong', 'mistaken', 'misguided', 'naive', 'nonsense', 'absurd', 'ridiculous',
  'astonish', 'surprised to read', 'dismayed', 'disappointed', 'unfair', 'one sided', 'biased', 'misses the point',
  'missed the point', 'miss the point', 'ignores', 'ignored', 'overlooks', 'overlooked', 'leaves out', 'left out',
  'fails to mention', 'failed to mention', 'forgets', 'oversimplif', 'simplistic', 'too easy', 'goes too far', 'insulting',
  'exaggerat', 'overstat', 'overblown', 'alarmist', 'makes it sound', 'make it sound', 'misleading', 'not the whole truth',
  'not the whole story', 'should have said', 'should have mentioned', 'the real problem', 'the real issue', 'the real story',
  'the real question', 'the real scandal', 'scapegoat', 'whitewash', 'sensational', 'hysteri', 'cheap shot', 'hatchet job',
  'falsch', 'irrt', 'unsinn', 'naiv', 'zu einfach', 'oublie', 'trop facile', 'se trompe', 'injuste', 'ingenuo',
  'se equivoca', 'equivocado', 'injusto', 'demasiado facil',
];

/** Concession: the writer grants part of the argument and contests another. */
export const CONCESSION_CUES = [
  'but', 'however', 'although', 'though', 'that said', 'on the other hand', 'even so', 'all the same', 'i ll grant',
  'i grant', 'grant the article', 'to a point', 'up to a point', 'partly', 'in part', 'some of what', 'may be right',
  'may well be right', 'might be right', 'is right about', 'are right about', 'right about the', 'yes but', 'by all means',
  'i sympathise', 'i sympathize', 'in fairness', 'to be fair', 'aber', 'mais', 'pero', 'sin embargo', 'cependant',
];

/** Sarcasm: literal praise that is not meant (its sentence's praise is not counted as agreement). */
export const SARCASM_CUES = [
  'oh yes', 'ah yes', 'oh sure', 'yeah right', 'how reassuring', 'how convenient', 'brilliant', 'genius',
  'what could possibly go wrong', 'let me get this straight', 'with friends like', 'what a surprise', 'surprise surprise',
  'silly me',
];

/** Words that flip the cue they stand before (within a few words). */
export const NEGATIONS = ['not', 'no', 'never', 'nor', 'hardly', 'nothing', 'don t', 'doesn t', 'isn t', 'aren t', 'wasn t', 'can t', 'cannot', 'won t', 'nicht', 'kein', 'pas', 'jamais', 'nunca', 'ni'];

/** Folded words of a text for cue matching: apostrophes split words ("couldn't" -> "couldn", "t"). */
export function cueWords(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * Finds cue phrases in a word sequence: a map from each phrase's first word
 * to the phrases starting with it, so a sentence costs one look-up per word
 * (a regex alternation of a hundred phrases tried at every position was the
 * engine's hottest spot). A phrase's last word may be a stem ("exaggerat").
 */
export class PhraseMatcher {
  private byFirst = new Map<string, string[][]>();
  private stems: string[][] = [];
  constructor(phrases: readonly string[]) {
    for (const p of phrases) {
      const ws = p.split(' ');
      if (ws.length === 1 && STEM_CUES.has(p)) {
        this.stems.push(ws);
        continue;
      }
      let list = this.byFirst.get(ws[0]!);
      if (!list) this.byFirst.set(ws[0]!, (list = []));
      list.push(ws);
    }
    // Longest phrase first, so "is right about" wins over "is right".
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /** Matches as [word index, phrase], left to right, not overlapping. */
  match(words: readonly string[]): [number, string][] {
    const out: [number, string][] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let hit: string[] | null = null;
      for (const p of this.byFirst.get(w) ?? []) {
        let ok = i + p.length <= words.length;
        for (let j = 1; ok && j < p.length; j++) if (words[i + j] !== p[j]) ok = false;
        if (ok) {
          hit = p;
          break;
        }
      }
      if (!hit) for (const p of this.stems) if (w.startsWith(p[0]!)) hit = p;
      if (hit) {
        out.push([i, hit.join(' ')]);
        i += hit.length - 1;
      }
    }
    return out;
  }
}

// Single-word cues that match as word beginnings.
const STEM_CUES = new Set(['exaggerat', 'overstat', 'oversimplif', 'hysteri', 'astonish']);
