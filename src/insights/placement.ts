// Newly arrived letters placed against an article's stored state: each
// letter's nearest theme and its stance estimate, without regrouping. A pure
// function over plain data, so that it can run in a worker thread
// (insights-store/analysis-pool.ts) and not on the thread that commits letters.
import { assignToTheme } from './assign.ts';
import { estimateStance, prepareArticle } from './stance.ts';
import { StanceModel, type StanceModelJSON } from './stance-model.ts';
import type { ArticleText, LetterText, Stance, ThemeSet } from './types.ts';

export interface PlaceInput {
  article: ArticleText;
  /** The article's stored themes, or null before its first grouping. */
  themes: ThemeSet | null;
  /** The editors' stance classifier (as stored, or read from it), or null. */
  stanceModel: StanceModel | StanceModelJSON | null;
  letters: LetterText[];
}

export interface Placement {
  letterId: string;
  /** The nearest theme, or null when the letter shares nothing with any (or there are none yet). */
  themeId: string | null;
  stance: Stance;
  /** Rounded to three places, as stored. */
  confidence: number;
}

export function placeLetters(input: PlaceInput): Placement[] {
  const article = prepareArticle(input.article);
  const model = input.stanceModel instanceof StanceModel ? input.stanceModel : input.stanceModel ? StanceModel.fromJSON(input.stanceModel) : null;
  return input.letters.map((letter) => {
    const est = estimateStance(article, letter, model);
    return {
      letterId: letter.id,
      themeId: input.themes ? assignToTheme(input.themes, letter).themeId : null,
      stance: est.stance,
      confidence: Math.round(est.confidence * 1000) / 1000,
    };
  });
}
