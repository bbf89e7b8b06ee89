// What readers think: the offline text-analysis engine behind an article's
// insights (issue 12). Pure functions over plain, JSON-serialisable data:
// the caller keeps the state (ThemeSet, Taught, StanceModelJSON) in the
// database and passes it back in. Nothing is downloaded, nothing is
// remembered between calls except what the caller stores.
//
// THEMES (lines of argument)
//   groupThemes({ article, letters, taught?, previous?, options? }): ThemeSet
//     Groups an article's letters. `letters` are { id, body, campaignId? }:
//     a campaign counts once when themes are shaped, and all its letters are
//     assigned. The number of themes (2..7) is chosen by silhouette; below
//     8 voices the set says "too-few-letters" (status + message), never
//     throws. Pass the stored set as `previous` to keep theme ids and
//     editor-given names of themes that persist. Run it periodically (e.g.
//     nightly, or when letters grew by a fifth), not on every letter.
//   assignToTheme(set, letter): { themeId | null, score, source }
//     A newly arrived letter to its nearest theme (about a millisecond,
//     whatever the article's size); null when it shares nothing with any.
//     Store the result on the letter; the next groupThemes refreshes all.
//   placeLetters({ article, themes, stanceModel, letters }): Placement[]
//     Newly arrived letters against the stored state: theme and stance each.
//
// EDITORS TEACH
//   fileLetter(taught, letterId, themeName) / setStance(taught, letterId, stance)
//     -> Taught. Filing under a new name creates that theme at the next
//     grouping; taught letters are fixed members and never moved.
//   renameTheme(set, taught, themeId, name) / mergeThemes(set, taught, fromId, intoId)
//     -> { set, taught }, to store together.
//   Once letters are filed under two or more themes, the model sorts the
//   other letters into the editors' themes and invents no more.
//
// STANCE (toward the article's argument; an estimate, with a confidence)
//   estimateStance(article, letter, model?): { stance, confidence, scores, reasons }
//     Cue phrases with negation scope, sarcasm, concession, and quotation of
//     the article; plus the editors' classifier when given.
//   new StanceModel() / StanceModel.fromJSON(json); model.learn(text, stance),
//     model.unlearn(text, stance), model.toJSON(): StanceModelJSON.
//   prepareArticle(article) caches the article's side of the work when many
//     letters are estimated against one article.
//
// ONE CALL FOR THE DESK
//   analyseArticle({ article, letters, taught?, previous?, stanceModel?, options? })
//     -> { themes: ThemeSet (each theme with its stance split), stances:
//     { [letterId]: { stance, confidence, source } }, letters, voices, stance }.
//
// FIGURES
//   voiceCount(letters) -> { letters, campaignLetters, campaigns, voices }
//     (voices = letters - campaign letters + campaigns); countVoices(letters).
//   compareFairness({ received, publishedIds, themeLabels? })
//     -> { stance and theme shares received vs published, sentences such as
//     "Published: 4 of 5 agree; received: 31% agree.", largestGap }.

export { analyseArticle, type AnalyseInput, type ArticleInsights, type LetterStance } from './analyse.ts';
export { assignToTheme } from './assign.ts';
export { placeLetters, type Placement, type PlaceInput } from './placement.ts';
export { compareFairness, type FairnessInput, type FairnessLetter, type FairnessReport, type Share } from './fairness.ts';
export { estimateStance, prepareArticle, stanceEvidence, type PreparedArticle, type StanceEstimate, type StanceEvidence } from './stance.ts';
export { StanceModel, type StanceModelJSON } from './stance-model.ts';
export { fileLetter, mergeThemes, renameTheme, setStance } from './teach.ts';
export { groupThemes, type GroupInput, type GroupOptions } from './themes.ts';
export { countVoices, voiceCount, type VoiceCount, type VoiceInput } from './voices.ts';
export type { ArticleText, Assignment, LetterText, Representative, Stance, StanceCounts, Taught, Theme, ThemeSet, ThemeSetStatus } from './types.ts';
export { STANCES } from './types.ts';
