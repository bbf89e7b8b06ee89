// One article's "what readers think": themes, each letter's stance, and
// the figures the desk shows. Stance is estimated letter by letter (cues
// plus the editors' classifier); letters an editor set keep their stance.
// Pooling stance within a theme (letters of one line leaning to the side
// its other letters take, or to the stances editors set in it) was tried
// and measured no better on its own and worse once taught (a wrong theme
// carries a wrong side), so each letter stands on its own evidence.

import { groupAndRead, type GroupOptions } from './themes.ts';
import { cueLogits, decide, evidenceOfSentences, prepareArticle } from './stance.ts';
import { StanceModel, type StanceModelJSON } from './stance-model.ts';
import { countVoices } from './voices.ts';
import { STANCES, type ArticleText, type LetterText, type Stance, type StanceCounts, type Taught, type ThemeSet } from './types.ts';

export interface LetterStance {
  stance: Stance;
  confidence: number;
  source: 'taught' | 'model';
}

export interface ArticleInsights {
  themes: ThemeSet;
  /** letter id -> stance. */
  stances: Record<string, LetterStance>;
  letters: number;
  voices: number;
  /** Stance totals over voices (a campaign counts once, with its first letter's stance). */
  stance: StanceCounts;
}

export interface AnalyseInput {
  article: ArticleText;
  letters: LetterText[];
  taught?: Taught | null;
  previous?: ThemeSet | null;
  /** The editors' stance classifier (plain data), if any. */
  stanceModel?: StanceModelJSON | StanceModel | null;
  options?: GroupOptions;
}

export function analyseArticle(input: AnalyseInput): ArticleInsights {
  const { set: themes, letters, read } = groupAndRead(input);
  const article = prepareArticle(input.article ?? { id: '', title: '' });
  const model = input.stanceModel instanceof StanceModel ? input.stanceModel : input.stanceModel ? StanceModel.fromJSON(input.stanceModel) : null;
  const taughtStances = input.taught?.stances ?? {};

  const stances: Record<string, LetterStance> = {};
  letters.forEach((l, i) => {
    const taught = taughtStances[l.id];
    if (taught && STANCES.includes(taught)) {
      stances[l.id] = { stance: taught, confidence: 1, source: 'taught' };
      return;
    }
    // Same as estimateStance, on the sentences the grouping already cut.
    const ev = evidenceOfSentences(article, read[i]!.sentences);
    const logits = cueLogits(ev);
    const learnt = model?.logits(typeof l.body === 'string' ? l.body : '');
    if (learnt) for (const s of STANCES) logits[s] += learnt[s];
    const e = decide(logits, ev.reasons);
    stances[l.id] = { stance: e.stance, confidence: e.confidence, source: 'model' };
  });
  const campaignOf = new Map(letters.map((l) => [l.id, l.campaignId ?? null]));

  // Theme stance splits and totals over voices.
  const total: StanceCounts = { agree: 0, disagree: 0, mixed: 0 };
  const counted = new Set<string>();
  for (const l of letters) {
    const c = l.campaignId;
    if (c) {
      if (counted.has(c)) continue;
      counted.add(c);
    }
    total[stances[l.id]!.stance]++;
  }
  for (const t of themes.themes) {
    const split: StanceCounts = { agree: 0, disagree: 0, mixed: 0 };
    const cs = new Set<string>();
    for (const id of t.letterIds) {
      const c = campaignOf.get(id);
      if (c) {
        if (cs.has(c)) continue;
        cs.add(c);
      }
      const s = stances[id];
      if (s) split[s.stance]++;
    }
    t.stance = split;
  }
  return { themes, stances, letters: letters.length, voices: countVoices(letters), stance: total };
}
