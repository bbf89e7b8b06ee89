// What editors teach, as pure updates of plain data. Filing a letter under
// a theme name creates the theme if it is new; renaming and merging change
// the taught filings and the ThemeSet together, so the next grouping finds
// the editor's themes under their new names and ids. Taught filings and
// stances are never overridden by the model.

import { nameKey } from './continuity.ts';
import { labelOf } from './labels.ts';
import type { Stance, Taught, Theme, ThemeSet } from './types.ts';

/** Files a letter under a named theme (creating the theme at the next grouping if the name is new). */
export function fileLetter(taught: Taught | null | undefined, letterId: string, themeName: string): Taught {
  const themes = { ...(taught?.themes ?? {}) };
  const name = String(themeName ?? '').trim();
  if (name) themes[letterId] = name;
  else delete themes[letterId];
  return { ...(taught ?? {}), themes };
}

/** Sets a letter's stance by hand (null takes the editor's stance back). */
export function setStance(taught: Taught | null | undefined, letterId: string, stance: Stance | null): Taught {
  const stances = { ...(taught?.stances ?? {}) };
  if (stance) stances[letterId] = stance;
  else delete stances[letterId];
  return { ...(taught ?? {}), stances };
}

/**
 * Renames a theme: its editor-given name changes, and letters filed under
 * its old name are filed under the new one. A model theme becomes a named
 * theme (its name then persists across groupings).
 */
export function renameTheme(set: ThemeSet, taught: Taught | null | undefined, themeId: string, newName: string): { set: ThemeSet; taught: Taught } {
  const name = String(newName ?? '').trim();
  const theme = set.themes.find((t) => t.id === themeId);
  if (!theme || !name) return { set, taught: taught ?? {} };
  const themes = { ...(taught?.themes ?? {}) };
  if (theme.name) {
    const old = nameKey(theme.name);
    for (const [id, n] of Object.entries(themes)) if (nameKey(n) === old) themes[id] = name;
  }
  const next: ThemeSet = { ...set, themes: set.themes.map((t) => (t.id === themeId ? { ...t, name, label: name } : t)) };
  return { set: next, taught: { ...(taught ?? {}), themes } };
}

/**
 * Merges theme `fromId` into theme `intoId`: one theme with both themes'
 * letters, keeping `intoId`'s id and name; letters filed under the merged
 * theme's name are filed under the kept theme's name.
 */
export function mergeThemes(set: ThemeSet, taught: Taught | null | undefined, fromId: string, intoId: string): { set: ThemeSet; taught: Taught } {
  const from = set.themes.find((t) => t.id === fromId);
  const into = set.themes.find((t) => t.id === intoId);
  if (!from || !into || from === into) return { set, taught: taught ?? {} };
  const keptName = into.name ?? into.label;
  const themes = { ...(taught?.themes ?? {}) };
  const fromKey = from.name ? nameKey(from.name) : null;
  const intoKey = into.name ? nameKey(into.name) : null;
  for (const [id, n] of Object.entries(themes)) {
    if ((fromKey && nameKey(n) === fromKey) || (intoKey && nameKey(n) === intoKey)) themes[id] = keptName;
  }
  // Letters of both themes the editor filed stay filed, under the kept name.
  for (const id of [...from.taughtLetterIds, ...into.taughtLetterIds]) themes[id] = keptName;
  const merged: Theme = {
    ...into,
    name: into.name ?? (into.taughtLetterIds.length || from.taughtLetterIds.length ? keptName : null),
    label: into.name ?? labelOf([...into.phrases, ...from.phrases.filter((p) => !into.phrases.includes(p))]),
    phrases: [...into.phrases, ...from.phrases.filter((p) => !into.phrases.includes(p))].slice(0, 6),
    letterIds: [...into.letterIds, ...from.letterIds],
    taughtLetterIds: [...into.taughtLetterIds, ...from.taughtLetterIds],
    letters: into.letters + from.letters,
    voices: into.voices + from.voices,
    representatives: [...into.representatives, ...from.representatives].sort((a, b) => b.centrality - a.centrality).slice(0, 3),
    centroid: mergeCentroids(into, from),
  };
  if (merged.stance && from.stance) {
    merged.stance = { agree: merged.stance.agree + from.stance.agree, disagree: merged.stance.disagree + from.stance.disagree, mixed: merged.stance.mixed + from.stance.mixed };
  }
  const next: ThemeSet = { ...set, themes: set.themes.filter((t) => t.id !== fromId).map((t) => (t.id === intoId ? merged : t)) };
  return { set: next, taught: { ...(taught ?? {}), themes } };
}

// Voice-weighted mean of two centroids, renormalised.
function mergeCentroids(a: Theme, b: Theme): Theme['centroid'] {
  const acc = new Map<string, number>();
  const add = (t: Theme) => t.centroid.terms.forEach((k, i) => acc.set(k, (acc.get(k) ?? 0) + t.centroid.weights[i]! * t.voices));
  add(a);
  add(b);
  const entries = [...acc].sort((x, y) => y[1] - x[1]).slice(0, 300);
  const norm = Math.sqrt(entries.reduce((s, e) => s + e[1] * e[1], 0)) || 1;
  return { terms: entries.map((e) => e[0]), weights: entries.map((e) => Math.round((e[1] / norm) * 1e5) / 1e5) };
}
