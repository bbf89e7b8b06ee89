// Language-light text helpers shared by article matching and screening.
// The desk receives letters in many languages, so nothing here depends on an
// English-only stemmer: words are case- and accent-folded and cut to a fixed
// prefix ("truncation stemming"), which also makes cognates across European
// languages meet (pakistanais/pakistan, talibans/taliban, auditores/auditors).

/** Lower-case, strip accents (NFKD + combining marks), unify quotes/dashes. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb\u201e]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-');
}

/** Words of the text after folding; apostrophe suffixes ('s, l') are dropped. */
export function words(text: string): string[] {
  // Plain ASCII (most letters) is scanned by hand: same result as the
  // Unicode regex below, several times faster on 10,000-article indexes.
  if (!NON_ASCII.test(text)) return asciiWords(text);
  return wordsByRegex(text);
}

/** `words` by the Unicode regex alone: its path for non-ASCII text, and the reference its ASCII scanner is tested against. */
export function wordsByRegex(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu)) {
    let w = m[0];
    const q = w.indexOf("'");
    if (q >= 0) {
      const head = w.slice(0, q);
      const tail = w.slice(q + 1);
      // French/Italian elision (l'allie, d'un) keeps the word after the apostrophe;
      // English possessive/contractions keep the word before it.
      w = head.length <= 2 && tail.length > 2 ? tail : head;
    }
    if (w.length > 0) out.push(w);
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;

// 1: letter, 2: digit (after lower-casing; '`' folds to an apostrophe).
const ASCII_CLASS = new Uint8Array(128);
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = 1;
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 2;

function asciiWords(text: string): string[] {
  const t = text.toLowerCase();
  const out: string[] = [];
  const n = t.length;
  let i = 0;
  while (i < n) {
    if (ASCII_CLASS[t.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && ASCII_CLASS[t.charCodeAt(i)] !== 0) i++;
    const end = i;
    // (?:'[\p{L}]+)? : an apostrophe followed by letters (not digits).
    const c = i < n ? t.charCodeAt(i) : 0;
    if ((c === 39 || c === 96) && i + 1 < n && ASCII_CLASS[t.charCodeAt(i + 1)] === 1) {
      let j = i + 1;
      while (j < n && ASCII_CLASS[t.charCodeAt(j)] === 1) j++;
      const headLen = end - start;
      const tailLen = j - (i + 1);
      out.push(headLen <= 2 && tailLen > 2 ? t.slice(i + 1, j) : t.slice(start, end));
      i = j;
    } else {
      out.push(t.slice(start, end));
    }
  }
  return out;
}

const STEM_LENGTH = 6;

/**
 * Truncation stem: a cheap, language-neutral stemmer. Common inflection
 * endings are removed first so that short words meet their inflected forms
 * (delay/delayed, tram/trams) before the cut to a fixed prefix.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4) {
    if (w.endsWith('ies')) w = w.slice(0, -3) + 'y';
    else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
    else if (w.length > 5 && w.endsWith('ed')) w = w.slice(0, -2);
    else if (w.endsWith('es') && w.length > 5) w = w.slice(0, -2);
    else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  }
  return w.length > STEM_LENGTH ? w.slice(0, STEM_LENGTH) : w;
}

// Function words of the languages letters most often arrive in. Used only to
// keep them out of retrieval scores; they are stems (cut to STEM_LENGTH).
const STOPWORD_LIST = `
a an the and or but if then than so as of at by for from in into on onto to with without about above after again against all am are aren
be been before being below between both can could did do does doing down during each few further had has have having he her here hers herself
him himself his how i im is it its itself just me more most my myself no nor not now off once only other our ours out over own same she should
some such that their theirs them themselves there these they this those through too under until up very was we were what when where which while
who whom why will would you your yours yourself also any because been may might must shall upon us via yet dear editor sir madam letter
le la les un une des du de et ou mais donc car ni que qui quoi dont ou au aux ce ces cet cette il elle ils elles on nous vous je tu se sa son ses
leur leurs mon ma mes ton ta tes est sont etre avoir a ont pas ne plus pour par sur dans avec sans sous entre tres bien aussi comme y en
el los las una unos unas del al y o pero que quien como con sin sobre entre para por su sus mi mis tu tus es son ser estar esta este esto estos
estas ese esa eso lo le les se no si mas muy tambien ya me nos os
der die das den dem des ein eine einer eines und oder aber nicht ist sind war waren sein haben hat mit ohne fur auf aus bei nach von vor zu im
am zum zur ich du er sie es wir ihr auch wie als wenn dass
`;
export const STOPWORDS: ReadonlySet<string> = new Set(
  STOPWORD_LIST.split(/\s+/).filter(Boolean).map(stem),
);

/** Content terms for retrieval: folded, stemmed, stopwords and 1-letter words removed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2) continue;
    const s = stem(w);
    if (!STOPWORDS.has(s)) out.push(s);
  }
  return out;
}

/** FNV-1a 32-bit hash of a string (stable across runs and processes). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
