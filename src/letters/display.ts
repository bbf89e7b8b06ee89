// What a published letter shows: the text the writer agreed to, and their
// name the way they chose at submission (letter.meta.nameDisplay).
import type { Letter } from '../db/repositories/letters.ts';

export const NAME_WITHHELD = 'Name withheld';

export type NameDisplay = 'full' | 'initials' | 'withheld';

export function nameDisplayOf(letter: Letter): NameDisplay {
  const v = letter.meta?.nameDisplay;
  return v === 'initials' || v === 'withheld' ? v : 'full';
}

/** "Ada Lovelace" → "A. L."; names written in scripts without capitals keep their first letters. */
export function initials(name: string): string {
  const parts = name.split(/[\s\-]+/).filter((p) => /\p{L}/u.test(p));
  if (!parts.length) return NAME_WITHHELD;
  return parts.map((p) => `${[...p.match(/\p{L}/u)![0]][0]!.toLocaleUpperCase()}.`).join(' ');
}

/** The writer's choice wins over an editor's display name, except that the editor may correct a full name. */
export function displayNameFor(letter: Letter): string {
  switch (nameDisplayOf(letter)) {
    case 'withheld':
      return NAME_WITHHELD;
    case 'initials':
      return initials(letter.name);
    default:
      return letter.displayName?.trim() || letter.name;
  }
}

/** The edited text when there is one (publishing it needs the writer's approval, see lifecycle), else the writer's. */
export function publishedTextFor(letter: Letter): string {
  return letter.editedBody ?? letter.body;
}
