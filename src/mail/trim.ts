// trimReply: the writer's own text of a reply, without quoted earlier messages,
// embedded headers, signatures after "-- " and mobile sign-offs.
//
// Works on the line types from lines.ts. The rules, in order:
//  1. A forward or header block at the very top (nothing written above it) is
//     dropped and the forwarded text is the content.
//  2. Everything from the first delimiter is cut, except a plain rule ("***",
//     "----") that is followed by ordinary prose: in a letter that is a section break.
//  3. Mobile sign-offs are dropped wherever they are.
//  4. A header block of an embedded message (From:/Sent:/To:…) cuts the rest.
//  5. Markers ("On … wrote:"): at the top, the quote under them is dropped; after
//     the writer's text, the marker cuts everything below unless the quote under it
//     is followed by a substantial answer (inline replies keep their context).
//  6. Trailing quotes and markers go; leading/trailing blank lines go.

import { classifyLines, delimiterKind, isFromHeaderLine, lineFeeds, type LineType } from './lines.ts';

type Doc = { lines: string[]; types: LineType[] };

function slice(doc: Doc, from: number, to = doc.lines.length): Doc {
  return { lines: doc.lines.slice(from, to), types: doc.types.slice(from, to) };
}

function remove(doc: Doc, keep: (t: LineType, i: number) => boolean): Doc {
  const lines: string[] = [];
  const types: LineType[] = [];
  doc.types.forEach((t, i) => {
    if (keep(t, i)) {
      lines.push(doc.lines[i]!);
      types.push(t);
    }
  });
  return { lines, types };
}

function firstNonEmpty(types: LineType[], from = 0): number {
  for (let i = from; i < types.length; i++) if (types[i] !== 'e') return i;
  return -1;
}

/**
 * Finds a header block (From:/Sent:/To:/Subject: …) starting at index i.
 * Returns the index after the block, or -1 when the lines at i are not one.
 * A block needs three header lines, or a From line with one more; wrapped
 * values (a long Subject) may continue on the next line.
 */
export function headerBlockEnd(doc: Doc, i: number): number {
  if (doc.types[i] !== 'h') return -1;
  let count = 0;
  let hasFrom = false;
  let k = i;
  let last = i;
  while (k < doc.types.length && k < i + 16) {
    const t = doc.types[k]!;
    if (t === 'h') {
      count++;
      if (isFromHeaderLine(doc.lines[k]!)) hasFrom = true;
      last = k;
    } else if (t === 'e') {
      const next = firstNonEmpty(doc.types, k);
      if (next < 0 || doc.types[next] !== 'h' || next - k > 2) break;
    } else if (t === 't' && doc.types[k - 1] === 'h' && k - 1 > i) {
      // continuation of a wrapped header value
    } else {
      break;
    }
    k++;
  }
  if (count >= 3 || (count >= 2 && hasFrom)) return last + 1;
  return -1;
}

function hasText(types: LineType[], to: number): boolean {
  for (let i = 0; i < to; i++) if (types[i] === 't') return true;
  return false;
}

/** Prose after a plain rule: several lines of text and no quoted-message cues. */
function proseFollows(doc: Doc, from: number): boolean {
  let text = 0;
  for (let i = from; i < doc.types.length && i < from + 60; i++) {
    const t = doc.types[i]!;
    if (t === 'h' || t === 'b' || t === 'q') return false;
    if (t === 'd' && delimiterKind(doc.lines[i]!) !== 'rule') return false;
    if (t === 't') text += (doc.lines[i]!.match(/\p{L}[.!?]["'’”)]?(\s|$)/gu) || []).length;
  }
  return text >= 3; // sentences
}

function dropLeadingForward(doc: Doc): Doc {
  for (let guard = 0; guard < 10; guard++) {
    const i = firstNonEmpty(doc.types);
    if (i < 0) return doc;
    let j = i;
    if (doc.types[i] === 'd' && delimiterKind(doc.lines[i]!) !== 'signature') j = firstNonEmpty(doc.types, i + 1);
    if (j < 0) return slice(doc, doc.lines.length);
    const end = headerBlockEnd(doc, j);
    if (end < 0) {
      if (j !== i) return slice(doc, j); // a lone forward line at the top
      return doc;
    }
    doc = slice(doc, end);
  }
  return doc;
}

/** Index where a trailing signature-like answer is not substantial enough to keep. */
function substantialAnswer(doc: Doc, from: number): boolean {
  let textLines = 0;
  let quoteAfter = false;
  for (let i = from; i < doc.types.length; i++) {
    const t = doc.types[i]!;
    if (t === 't') textLines++;
    if ((t === 'q' || t === 'b') && textLines > 0) quoteAfter = true;
  }
  return quoteAfter || textLines >= 5;
}

function applyMarkers(doc: Doc): Doc {
  // 5a. Marker(s) at the top: the reply is below the quote.
  let i = firstNonEmpty(doc.types);
  if (i >= 0 && doc.types[i] === 'b') {
    while (i < doc.types.length && (doc.types[i] === 'b' || doc.types[i] === 'e')) i++;
    if (i < doc.types.length && doc.types[i] === 'q') {
      let k = i;
      while (k < doc.types.length && (doc.types[k] === 'q' || doc.types[k] === 'e' || doc.types[k] === 'b')) k++;
      if (hasText(doc.types.slice(k), doc.types.length - k)) doc = slice(doc, k);
      else doc = slice(doc, i);
    } else {
      doc = slice(doc, i);
    }
  }
  // 5b. Markers after the writer's text.
  for (let m = 0; m < doc.types.length; m++) {
    if (doc.types[m] !== 'b' || !hasText(doc.types, m)) continue;
    let k = m;
    while (k < doc.types.length && (doc.types[k] === 'b' || doc.types[k] === 'e')) k++;
    if (k >= doc.types.length) return slice(doc, 0, m);
    if (doc.types[k] !== 'q') return slice(doc, 0, m); // unquoted embedded message
    while (k < doc.types.length && (doc.types[k] === 'q' || doc.types[k] === 'e' || doc.types[k] === 'h')) k++;
    if (k >= doc.types.length || !substantialAnswer(doc, k)) return slice(doc, 0, m);
  }
  return remove(doc, (t) => t !== 'b');
}

/** Trims a reply body to the writer's own text. Pure; never throws on any string. */
export function trimReply(text: string): string {
  if (!text || !/\S/.test(text)) return '';
  let doc: Doc = classifyLines(text);
  const lineCount = doc.lines.length;

  doc = dropLeadingForward(doc);

  // 2. First delimiter.
  for (let i = 0; i < doc.types.length; i++) {
    if (doc.types[i] !== 'd') continue;
    const kind = delimiterKind(doc.lines[i]!);
    if (kind === 'rule' && !/^\s*_{5,}\s*$/.test(doc.lines[i]!) && proseFollows(doc, i + 1)) {
      doc.types[i] = 't';
      continue;
    }
    if (!hasText(doc.types, i) && kind !== 'signature') continue; // handled as a top forward
    doc = slice(doc, 0, i);
    break;
  }

  // 3. Mobile sign-offs.
  doc = remove(doc, (t) => t !== 's');

  // 4. Embedded header block after some text.
  for (let i = 0; i < doc.types.length; i++) {
    if (doc.types[i] === 'h' && hasText(doc.types, i) && headerBlockEnd(doc, i) > 0) {
      doc = slice(doc, 0, i);
      break;
    }
  }

  doc = applyMarkers(doc);

  // 6. Trailing quotes when there is text; then blank lines.
  if (doc.types.includes('t')) {
    let end = doc.types.length;
    while (end > 0 && (doc.types[end - 1] === 'q' || doc.types[end - 1] === 'e')) end--;
    doc = slice(doc, 0, end);
  }
  // Every step keeps or drops lines: with all of them kept, the text is the one split into them.
  const kept = doc.lines.length === lineCount ? lineFeeds(text) : doc.lines.join('\n');
  return kept.replace(/^(\s*\n)+/, '').trimEnd();
}
