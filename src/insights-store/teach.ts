// What editors teach, stored. Filing a letter under a theme (`theme` action)
// and setting its stance (`stance` action) are written with the action, in
// its transaction: the letter shows the editor's choice at once, the
// article's teaching (Taught) and stance classifier change, and a
// re-grouping is queued so the other letters follow. Renaming and merging
// themes change the stored ThemeSet and the teaching together.
import type { Db } from '../db/connect.ts';
import type { Trx } from '../db/executor.ts';
import { findLetterInsights, lockArticleInsightState, moveLettersToTheme, saveTeaching, setEditorThemeName, upsertLetterInsights } from '../db/repositories/insights.ts';
import { fileLetter, mergeThemes, renameTheme, setStance, StanceModel, type Stance } from '../insights/index.ts';
import { requestGrouping } from './regroup.ts';
import { forgetInsightState, nameKey, readState } from './state.ts';

type TaughtLetter = { id: string; articleId: string; body: string };

/** Files the letter under the theme named `name` (a new name makes a new theme at the next grouping). */
export async function teachTheme(db: Db, trx: Trx, letter: TaughtLetter, name: string): Promise<void> {
  await lockArticleInsightState(db, trx, letter.articleId);
  const state = await readState(db, letter.articleId, trx);
  const taught = fileLetter(state?.taught, letter.id, name);
  const theme = state?.themes?.themes.find((t) => nameKey(t.name ?? t.label) === nameKey(name));
  const before = (await findLetterInsights(db, [letter.id], trx)).get(letter.id);
  await upsertLetterInsights(db, trx, [
    {
      letterId: letter.id,
      articleId: letter.articleId,
      themeId: theme?.id ?? null,
      themeName: name,
      stance: before?.stance ?? null,
      stanceConfidence: before?.stanceConfidence ?? null,
      themeSource: 'editor',
      stanceSource: before?.stanceSource ?? 'model',
    },
  ]);
  await saveTeaching(db, trx, letter.articleId, { taught });
  await requestGrouping(db, trx, letter.articleId, 'now');
  forgetInsightState(letter.articleId);
}

/** Sets the letter's stance; the article's classifier learns it (and unlearns the stance it replaces). */
export async function teachStance(db: Db, trx: Trx, letter: TaughtLetter, stance: Stance): Promise<void> {
  await lockArticleInsightState(db, trx, letter.articleId);
  const state = await readState(db, letter.articleId, trx);
  const model = StanceModel.fromJSON(state?.stanceModel ?? null);
  const previous = state?.taught?.stances?.[letter.id];
  if (previous === stance) return;
  if (previous) model.unlearn(letter.body, previous);
  model.learn(letter.body, stance);
  const taught = setStance(state?.taught, letter.id, stance);
  const before = (await findLetterInsights(db, [letter.id], trx)).get(letter.id);
  await upsertLetterInsights(db, trx, [
    {
      letterId: letter.id,
      articleId: letter.articleId,
      themeId: before?.articleId === letter.articleId ? (before?.themeId ?? null) : null,
      themeName: before?.themeName ?? null,
      stance,
      stanceConfidence: 1,
      themeSource: before?.themeSource ?? 'model',
      stanceSource: 'editor',
    },
  ]);
  await saveTeaching(db, trx, letter.articleId, { taught, stanceModel: model.toJSON() });
  await requestGrouping(db, trx, letter.articleId, 'now');
  forgetInsightState(letter.articleId);
}

export type ThemeChange = { ok: true } | { ok: false; status: 404 | 409 | 422; error: string };

export async function renameArticleTheme(db: Db, articleId: string, themeId: string, name: string): Promise<ThemeChange> {
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean) return { ok: false, status: 422, error: 'a theme needs a name' };
  const out = await db.writes.run(async (trx): Promise<ThemeChange> => {
    await lockArticleInsightState(db, trx, articleId);
    const state = await readState(db, articleId, trx);
    const set = state?.themes;
    const theme = set?.themes.find((t) => t.id === themeId);
    if (!set || !theme) return { ok: false, status: 404, error: 'no such theme' };
    if (set.themes.some((t) => t.id !== themeId && nameKey(t.name ?? t.label) === nameKey(clean))) return { ok: false, status: 409, error: `another theme is called "${clean}": merge them instead` };
    const oldName = theme.name;
    const next = renameTheme(set, state.taught, themeId, clean);
    await saveTeaching(db, trx, articleId, { taught: next.taught, themes: next.set });
    if (oldName) await setEditorThemeName(trx, articleId, themeId, clean);
    return { ok: true };
  });
  forgetInsightState(articleId);
  return out;
}

export async function mergeArticleThemes(db: Db, articleId: string, fromId: string, intoId: string): Promise<ThemeChange> {
  if (fromId === intoId) return { ok: false, status: 422, error: 'a theme cannot be merged into itself' };
  const out = await db.writes.run(async (trx): Promise<ThemeChange> => {
    await lockArticleInsightState(db, trx, articleId);
    const state = await readState(db, articleId, trx);
    const set = state?.themes;
    const into = set?.themes.find((t) => t.id === intoId);
    if (!set || !into || !set.themes.some((t) => t.id === fromId)) return { ok: false, status: 404, error: 'no such theme' };
    const next = mergeThemes(set, state.taught, fromId, intoId);
    await saveTeaching(db, trx, articleId, { taught: next.taught, themes: next.set });
    await moveLettersToTheme(trx, articleId, fromId, intoId);
    await setEditorThemeName(trx, articleId, intoId, into.name ?? into.label);
    return { ok: true };
  });
  forgetInsightState(articleId);
  return out;
}
