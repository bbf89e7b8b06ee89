// A plain-text redline of an edit, for the approval mail: removed words in
// [-…-], added words in {+…+} (the wdiff convention), readable in any mail
// client without markup.
import { diffWords } from 'diff';

export type Piece = { kind: 'same' | 'added' | 'removed'; text: string };

export function redlinePieces(original: string, edited: string): Piece[] {
  return diffWords(original, edited).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}

export function plainRedline(original: string, edited: string): string {
  return redlinePieces(original, edited)
    .map((p) => (p.kind === 'same' ? p.text : p.kind === 'added' ? `{+${p.text}+}` : `[-${p.text}-]`))
    .join('');
}
