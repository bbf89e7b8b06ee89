// Plain-data shapes of the insights engine. Everything here is
// JSON-serialisable: the caller keeps it in the database between calls.

export type Stance = 'agree' | 'disagree' | 'mixed';
export const STANCES: readonly Stance[] = ['agree', 'disagree', 'mixed'];

export interface ArticleText {
  id: string;
  title: string;
  /** The article's text; may be empty (then stance has only the title to go on). */
  body?: string | null;
}

export interface LetterText {
  id: string;
  /** The writer's text (greeting and signature may be included: they are set aside). */
  body: string;
  /** Campaign (near-duplicate cluster) id from screening, or null. A campaign is one voice. */
  campaignId?: string | null;
}

/** What editors taught: letters filed under a named theme, and stances set by hand. */
export interface Taught {
  /** letter id -> theme name as the editor typed it. */
  themes?: Record<string, string>;
  /** letter id -> stance. */
  stances?: Record<string, Stance>;
}

export interface Representative {
  letterId: string;
  /** The letter's sentence that states the theme's line best. */
  sentence: string;
  /** Cosine to the theme's centroid (0..1): how typical the letter is. */
  centrality: number;
}

export interface StanceCounts {
  agree: number;
  disagree: number;
  mixed: number;
}

export interface Theme {
  /** Stable within the article: kept across new letters and re-groupings while the theme persists. */
  id: string;
  /** The editor's name for the theme, if one was given (kept across re-groupings). */
  name: string | null;
  /** What to show: the editor's name, else the distinctive phrases joined. */
  label: string;
  /** Distinctive words and 2–3-word phrases, most distinctive first. */
  phrases: string[];
  letterIds: string[];
  /** Letters an editor filed here (never moved by the model). */
  taughtLetterIds: string[];
  letters: number;
  /** Letters minus campaign letters plus campaigns. */
  voices: number;
  representatives: Representative[];
  /** Sparse centroid over terms (parallel arrays): what `assignToTheme` compares a new letter with. */
  centroid: { terms: string[]; weights: number[] };
  /** Filled in by `analyseArticle` (stance split of the theme's voices). */
  stance?: StanceCounts;
}

export type ThemeSetStatus = 'grouped' | 'too-few-letters' | 'no-letters';

export interface ThemeSet {
  version: 1;
  articleId: string;
  status: ThemeSetStatus;
  /** One plain sentence for the desk ("Too few letters to group: 5 voices, 8 needed."). */
  message: string;
  letters: number;
  voices: number;
  themes: Theme[];
  /** Letters placed under no theme (nothing in common with any theme, e.g. a one-word letter). */
  unassigned: string[];
  /** Next number for a new theme id (`t<n>`); ids are never reused. */
  nextThemeNumber: number;
  /** What assigning a new letter needs: IDF of the centroid terms. */
  model: {
    idf: Record<string, number>;
    unseenIdf: number;
    phraseWeight: number;
    /** A letter whose best cosine is below this stays unassigned. */
    minScore: number;
  };
}

export interface Assignment {
  themeId: string | null;
  /** Cosine to the chosen theme's centroid (1 for a taught letter). */
  score: number;
  source: 'taught' | 'model' | 'none';
}
