// The writer's sign-off at the end of a letter by email: "Harold Finch /
// Cambridge", "Harold Finch, Cambridge", "Harold Finch (Cambridge)", or a
// name line then a town line, usually after a closing ("Yours,", "Regards,",
// "Mit freundlichen Grüßen", "Cordialement", "Atentamente"). A letter by form
// has name and town in their own fields; a letter by mail gets them from
// here, and its text ends before the closing (the original keeps it all).
// Pure.
//
// The method: look only at the last lines after the writer's last sentence;
// each candidate line must read as a name or a place (capitalised words, no
// sentence punctuation, no digits, no address, no quote), and the block must
// be anchored: a closing above it, a separator between name and town on one
// line, or the name the mail came from. Anything else stays in the letter.

import { lineFeeds } from './lines.ts';

export type SignOff = { name: string; town: string | null; body: string };

/** Closings in the languages letters arrive in; the line may end with a comma, and "Yours" may be followed by faithfully/sincerely/truly. */
const CLOSING = new RegExp(
  '^(?:' +
    [
      "yours(?:\\s+(?:sincerely|faithfully|truly|ever))?",
      'sincerely(?:\\s+yours)?',
      "(?:with\\s+)?(?:(?:best|kind|kindest|warm|warmest|many)\\s+)?(?:regards|wishes)",
      'best',
      'cheers',
      'thanks|thank\\s+you|many\\s+thanks|with\\s+thanks',
      'respectfully(?:\\s+yours)?',
      'all\\s+the\\s+best',
      'mit\\s+freundlichen\\s+gr(?:ü|ue)(?:ß|ss)en|freundliche\\s+gr(?:ü|ue)(?:ß|ss)e|(?:viele|beste|herzliche)\\s+gr(?:ü|ue)(?:ß|ss)e|gr(?:ü|ue)(?:ß|ss)e',
      'cordialement|bien\\s+(?:cordialement|à\\s+vous)|salutations(?:\\s+distinguées)?|sinc[èe]res\\s+salutations|amicalement',
      'atentamente|saludos(?:\\s+cordiales)?|un\\s+(?:cordial\\s+)?saludo|cordialmente|un\\s+abrazo',
    ].join('|') +
    ')\\s*[,.!]?$',
  'iu',
);

/** Lowercase words that may sit inside a name or a place: "Ludwig van Beethoven", "Newcastle upon Tyne", "Aix-en-Provence". */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'des', 'la', 'le', 'les', 'y', 'e', 'bin', 'ibn', 'al', 'el', 'upon', 'on', 'under', 'am', 'an', 'im', 'in', 'bei', 'ob', 'sur', 'en', 'lès', 'les', 'of', 'the', 'and']);
/** Titles and letters after a name. */
const HONORIFICS = /^(?:dr|prof|mr|mrs|ms|mx|rev|sir|dame|herr|frau|mme|mlle|m|sr|sra|srta|d|dña)\.?$/i;

const STREET = /^(?:road|rd|street|st|avenue|ave|lane|drive|close|crescent|terrace|square|place|gardens|way|court|straße|strasse|str|weg|gasse|platz|allee|rue|avenue|boulevard|bd|chemin|impasse|calle|avenida|plaza|paseo|camino)\.?$/i;

function words(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean);
}

/** A capitalised word ("Finch", "O’Neill", "Mary-Jane", "J.", "St.") or an allowed particle. */
function nameWord(w: string, i: number): boolean {
  if (PARTICLES.has(w.toLowerCase()) && i > 0 && w === w.toLowerCase()) return true;
  if (HONORIFICS.test(w)) return true;
  return /^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(w) && !/\.\p{L}{2,}/u.test(w);
}

/** Reads as a person's name: one to five name words, nothing else. */
export function looksLikeName(s: string): boolean {
  const t = s.trim();
  if (t.length < 2 || t.length > 60 || /[\d@:/\\"“”„«»<>?!;=_*#]/u.test(t) || /\.$/.test(t.replace(/\b\p{Lu}\.$/u, ''))) return false;
  const w = words(t);
  if (w.length < 1 || w.length > 5) return false;
  if (!w.every(nameWord)) return false;
  // A street is an address, not a name.
  if (w.some((x) => STREET.test(x))) return false;
  // A lone capitalised word that is a closing or a common sentence opener is no name.
  return !(w.length === 1 && (CLOSING.test(t) || /^(?:thanks|regards|best|cheers|yes|no|sincerely|love|peace|enough|ps)$/i.test(t)));
}

/** Reads as a place: "Cambridge", "Newcastle upon Tyne", "Portland, Oregon", "Cambridge, MA". */
export function looksLikeTown(s: string): boolean {
  const t = s.trim();
  if (t.length < 2 || t.length > 60 || /[\d@:/\\"“”„«»<>?!;=_*#()]/u.test(t) || /\.$/.test(t.replace(/\b\p{Lu}\.$/u, ''))) return false;
  const parts = t.split(/\s*,\s*/);
  if (parts.length > 2) return false;
  return parts.every((p) => {
    const w = words(p);
    return w.length >= 1 && w.length <= 4 && w.every((x, i) => nameWord(x, i) || /^\p{Lu}{2,3}$/u.test(x));
  });
}

/** One line holding both: "Name / Town", "Name, Town", "Name — Town", "Name (Town)". */
function splitOneLine(line: string): { name: string; town: string } | null {
  const s = line.trim().replace(/^[-–—~]+\s*/, '');
  const paren = /^(.+?)\s*\(([^()]+)\)$/.exec(s);
  if (paren && looksLikeName(paren[1]!) && looksLikeTown(paren[2]!)) return { name: paren[1]!.trim(), town: paren[2]!.trim() };
  for (const sep of [/\s*\/\s*/, /\s+[-–—|]\s+/, /\s*,\s*/]) {
    const m = s.split(sep);
    if (m.length < 2) continue;
    // "Harold Finch, Cambridge, MA": the name is the first part, the town the rest.
    const name = m[0]!;
    const town = s.slice(s.search(sep) + (s.match(sep)?.[0]?.length ?? 0));
    if (looksLikeName(name) && looksLikeTown(town)) return { name: name.trim(), town: town.trim() };
  }
  return null;
}

// Accents aside: "Tomás Varga" signs for a mail from "Tomas Varga".
const norm = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\s]/gu, ' ').replace(/\s+/g, ' ').trim();

/** The From name matches the sign-off name ("Finch, Harold" or "harold.finch" included). */
function sameName(a: string, from: string): boolean {
  if (!from.trim()) return false;
  const x = norm(a);
  const y = norm(from);
  if (!x || !y) return false;
  const xs = new Set(x.split(' '));
  const ys = new Set(y.split(' '));
  // Either holds all the other's words: "Harold" signs for "Harold Finch", "Harold Finch" for "Finch, Harold".
  return [...ys].every((w) => xs.has(w)) || [...xs].every((w) => ys.has(w));
}

/** The fuller of the sign-off's name and the sender's, when they are the same person ("Harold" signed, "Harold Finch" sent). */
function fuller(signed: string, from: string): string {
  return sameName(signed, from) && norm(from).split(' ').length > norm(signed).split(' ').length ? from.trim() : signed;
}

/**
 * Reads the sign-off at the end of `body` (the writer's own text, after
 * quotes and signatures were cut). `fromName` is the display name of the
 * mail's sender. Returns the name, the town (null when there is none) and
 * the text without closing and sign-off; null when the end of the letter is
 * not a sign-off.
 */
export function readSignOff(body: string, fromName = ''): SignOff | null {
  const lines = body.trimEnd().split('\n');
  let end = lines.length;
  while (end > 0 && !lines[end - 1]!.trim()) end--;
  if (end === 0) return null;
  // Candidate lines: at most three non-empty lines at the end (closing, name, town).
  const tail: number[] = [];
  for (let i = end - 1; i >= 0 && tail.length < 3; i--) {
    if (!lines[i]!.trim()) {
      if (tail.length) break;
      continue;
    }
    tail.unshift(i);
  }
  const text = (i: number) => lines[i]!.trim().replace(/^[-–—~]+\s*/, '');
  // A closing may also be the line just before the block, after a blank line ("Yours,\n\nHarold Finch").
  let closingAt = tail.findIndex((i) => CLOSING.test(text(i)));
  let block = closingAt >= 0 ? tail.slice(closingAt + 1) : tail;
  if (closingAt < 0 && tail.length) {
    let k = tail[0]! - 1;
    while (k >= 0 && !lines[k]!.trim()) k--;
    if (k >= 0 && CLOSING.test(text(k))) {
      block = [...tail];
      tail.unshift(k);
      closingAt = 0;
    }
  }
  if (block.length === 0 || block.length > 2) {
    // Without a closing, only the last one or two lines can be the sign-off.
    if (closingAt !== -1 || block.length === 0) return null;
    block = block.slice(-2);
  }
  const hasClosing = closingAt !== -1;
  let found: { name: string; town: string | null } | null = null;
  // Without a closing or the sender's name, "Name, Town" on one line needs a full name: "Shame, Westminster" is a slogan.
  const strongName = (n: string) => hasClosing || sameName(n, fromName) || words(n).length >= 2;
  if (block.length === 1) {
    const one = splitOneLine(lines[block[0]!]!);
    if (one && strongName(one.name)) found = one;
    else if (looksLikeName(text(block[0]!)) && (hasClosing || sameName(text(block[0]!), fromName))) found = { name: text(block[0]!), town: null };
  } else {
    const [a, b] = [text(block[0]!), text(block[1]!)];
    const anchored = hasClosing || sameName(a, fromName);
    if (looksLikeName(a) && looksLikeTown(b) && anchored) found = { name: a, town: b };
    else if (!hasClosing) {
      // The last line alone may be the sign-off ("… the text.\nHarold Finch / Cambridge").
      const one = splitOneLine(lines[block[1]!]!);
      if (one && strongName(one.name) && !looksLikeName(a)) {
        block = block.slice(1);
        found = one;
      } else if (looksLikeName(b) && sameName(b, fromName) && !looksLikeName(a)) {
        block = block.slice(1);
        found = { name: b, town: null };
      }
    }
  }
  if (!found) return null;
  // What comes before must be the letter: the sign-off is never the whole text.
  const first = hasClosing ? tail[0]! : block[0]!;
  const rest = lines.slice(0, first).join('\n').trimEnd();
  if (!/\p{L}/u.test(rest)) return null;
  return { name: fuller(found.name, fromName), town: found.town, body: rest };
}

/**
 * A sign-off written under the "-- " signature delimiter, which reply
 * trimming cuts with the rest of the signature: its first lines, when they
 * are the writer's name (the sender's own) and town, are read as a sign-off.
 * `text` is the message text as it arrived, `body` the letter as extracted.
 */
export function signatureSignOff(text: string, body: string, fromName = ''): { name: string; town: string | null } | null {
  const lines = lineFeeds(text).split('\n');
  const at = lines.findIndex((l) => /^-- ?$/.test(l));
  if (at < 0) return null;
  const below: string[] = [];
  for (let i = at + 1; i < lines.length && below.length < 2; i++) {
    const l = lines[i]!.trim();
    if (!l) {
      if (below.length) break;
      continue;
    }
    below.push(l);
  }
  if (!below.length) return null;
  // Only the name the mail came from anchors lines under a signature delimiter (they are often a company's).
  const name = below[0]!.split(/\s*[/,(]\s*/)[0]!;
  if (!sameName(name, fromName)) return null;
  const signed = readSignOff(`${body}\n\n${below.join('\n')}`, fromName);
  return signed ? { name: signed.name, town: signed.town } : null;
}
