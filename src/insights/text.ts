// Letter text to the units the engine works on: the writer's own prose
// (greeting and signature block cut off), sentences, content terms and
// 2–3-word phrases. Terms reuse the desk's language-light stemmer
// (matching/text.ts): folded, truncation-stemmed, so a German or Spanish
// letter still meets an English one on names, places and numbers.

import { STOPWORDS, fold, stem, words } from '../matching/text.ts';
import { GENERIC_WORDS, OTHER_LANGUAGE_WORDS } from './stopwords.ts';

/** Words that every letter to the editor uses whatever its argument. */
const LETTER_WORDS = `
article articles piece story report column editorial author writer reporter journalist magazine paper newspaper
read reading wrote write writing letter letters editor editors readers reader sincerely yours regards thank thanks
would could should also even still just really much many one two every say says said think know see make made
like get got go going well way thing things something anyone everyone nobody someone people time year years
`;
const STOP_SET: ReadonlySet<string> = new Set([
  ...STOPWORDS,
  ...`${LETTER_WORDS} ${GENERIC_WORDS} ${OTHER_LANGUAGE_WORDS}`.split(/\s+/).filter(Boolean).map(stem),
]);

/** True for words that carry no line of argument (function words, letter boilerplate). */
export function isStop(stemmed: string): boolean {
  return STOP_SET.has(stemmed);
}

const GREETING = /^\s*(dear\s+(editor|sir|madam|sirs|editors)\b.*|(sir|madam|sirs)\s*[,:\u2014-]?.*?|to the editor\b.*|(liebe|sehr geehrte)\b.*|(cher|chère|madame|monsieur)\b.*|(estimad[oa]s?|querid[oa]s?|señor)\b.*)$/i;
const CLOSING = /^\s*(sincerely|yours( (truly|faithfully|sincerely))?|regards|best( wishes| regards)?|kind regards|thank you|thanks|respectfully|cordially|mit freundlichen gr(ü|u)(ß|ss)en|cordialement|atentamente|saludos)\b[\s,.!]*$/i;

/**
 * The writer's argument without the letter's frame: the greeting line, and
 * the signature block (closing formula, name, town: short lines with no
 * sentence punctuation at the end of the letter). Never returns less than
 * the first line, so a one-line letter survives.
 */
export function letterProse(text: string): string {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 1 && !lines[0]!.trim()) lines.shift();
  // "Sir — I served…": a greeting that runs into the first sentence keeps the sentence.
  if (lines.length) {
    const first = lines[0]!;
    const dash = /^\s*(sir|madam|dear editor)\s*[\u2014\u2013-]+\s*(.+)$/i.exec(first);
    if (dash) lines[0] = dash[2]!;
    else if (lines.length > 1 && first.length < 60 && GREETING.test(first)) lines.shift();
  }
  let end = lines.length;
  // A closing formula near the end cuts everything after it (name, town, title).
  for (let i = lines.length - 1; i >= Math.max(1, lines.length - 7); i--) {
    if (CLOSING.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  while (end > 1) {
    const l = lines[end - 1]!.trim();
    if (!l) {
      end--;
      continue;
    }
    const n = l.split(/\s+/).length;
    // Name and town lines: short, and ending without a sentence's full stop
    // ("Tucson, Ariz." ends in an abbreviation, not a sentence).
    const bare = l.replace(/\((ret|retd)\.\)$/i, '').replace(/,\s*[A-Z][A-Za-z]{0,3}\.(\s?[A-Z]\.)*$/, ',');
    const signatureLike = n <= 8 && !/[.!?]["'\u201d\u2019)]?$/.test(bare);
    if (!signatureLike) break;
    end--;
  }
  const kept = lines.slice(0, Math.max(1, end)).join('\n').trim();
  return kept || String(text ?? '').trim();
}

// Abbreviations whose full stop does not end a sentence.
const ABBREV = /(?:\b(?:mr|mrs|ms|dr|st|sgt|gen|col|lt|prof|sen|rep|gov|jr|sr|vs|etc|no|ret|u\.s|u\.k|e\.g|i\.e|[a-z]))\.$/i;

/** Sentences of a text (paragraph breaks and . ! ? end them). */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split(/\n\s*\n|\n(?=\S)/)) {
    const p = para.replace(/\s+/g, ' ').trim();
    if (!p) continue;
    let start = 0;
    const re = /[.!?]+["'\u201d\u2019)]*\s+(?=["'\u201c\u2018(]?[\p{Lu}\p{N}¿¡])/gu;
    for (let m = re.exec(p); m; m = re.exec(p)) {
      const head = p.slice(start, m.index + m[0].length).trim();
      if (ABBREV.test(p.slice(Math.max(start, m.index - 6), m.index + 1))) continue;
      if (head) out.push(head);
      start = m.index + m[0].length;
    }
    const tail = p.slice(start).trim();
    if (tail) out.push(tail);
  }
  return out;
}

/** A sentence as content terms plus the phrases (2–3 adjacent content words) it contains. */
export interface SentenceTerms {
  terms: string[];
  phrases: string[];
}

// Surface forms seen for each stem or phrase key, so labels read as words
// ("blank cheque"), not stems ("blank cheque" ← "blank chequ").
export type SurfaceCounts = Map<string, Map<string, number>>;

function noteSurface(surface: SurfaceCounts | undefined, key: string, form: string): void {
  if (!surface) return;
  let m = surface.get(key);
  if (!m) surface.set(key, (m = new Map()));
  m.set(form, (m.get(form) ?? 0) + 1);
}

/**
 * Content terms and phrases of one sentence. A phrase is a run of 2 or 3
 * adjacent words none of which is a stop word: these are the units editors
 * recognise ("independent monitor", "blank cheque", "quay street").
 */
export function sentenceTerms(sentence: string, surface?: SurfaceCounts, languageHits?: LanguageHits): SentenceTerms {
  const ws = words(sentence);
  if (languageHits) countLanguageWords(ws, languageHits);
  const terms: string[] = [];
  const phrases: string[] = [];
  // Runs of content words, split at stop words and one-letter words: their
  // stems and surface forms, phrases made by concatenation (this is the
  // innermost loop of reading every letter).
  const stems: string[] = [];
  const forms: string[] = [];
  const flush = () => {
    const n = stems.length;
    for (let i = 0; i + 2 <= n; i++) {
      const key = `${stems[i]} ${stems[i + 1]}`;
      phrases.push(key);
      if (surface) noteSurface(surface, key, `${forms[i]} ${forms[i + 1]}`);
    }
    for (let i = 0; i + 3 <= n; i++) {
      const key = `${stems[i]} ${stems[i + 1]} ${stems[i + 2]}`;
      phrases.push(key);
      if (surface) noteSurface(surface, key, `${forms[i]} ${forms[i + 1]} ${forms[i + 2]}`);
    }
    stems.length = 0;
    forms.length = 0;
  };
  for (const w of ws) {
    if (w.length < 2 || w.length > 30) {
      flush();
      continue;
    }
    const s = /^\d+$/.test(w) ? w : stem(w);
    if (STOP_SET.has(s)) {
      flush();
      continue;
    }
    terms.push(s);
    if (surface) noteSurface(surface, s, w);
    stems.push(s);
    forms.push(w);
  }
  flush();
  return { terms, phrases };
}

/** The surface form most often seen for a key, else the key itself. */
export function surfaceOf(surface: SurfaceCounts, key: string): string {
  const m = surface.get(key);
  if (!m) return key;
  let best = key;
  let n = -1;
  for (const [form, c] of m) if (c > n || (c === n && form < best)) (best = form), (n = c);
  return best;
}

/** Folded plain text for cue matching (accents and quotes unified). */
export function plain(text: string): string {
  return fold(text).replace(/\s+/g, ' ');
}

// Function words that tell the languages letters most often arrive in
// apart. Enough to say "this letter is not in the article's language", which
// is all the engine needs: such letters do not shape themes (their words
// meet nobody's), they are placed afterwards by the names and numbers they share.
const LANGUAGE_WORDS: Record<string, string> = {
  en: 'the and of to is that in it for with was this are not be have you on they but what we their would which',
  de: 'der die das und ist nicht ein eine den dem zu mit sich auf auch es sie wir ich wird werden sind noch nur',
  fr: 'le la les et est une des du que qui pas pour dans sur au avec il elle nous vous sont ce cette mais plus',
  es: 'el la los las y es una que del por para con no se lo al como pero sus mas esta este son muy ya',
  it: 'il lo la gli le e di che non per una sono con della anche come piu questo questa ma nel alla',
  pt: 'o a os as e de que do da em um uma para com nao se por mais como mas ao dos das sao esta',
  nl: 'de het een en van is dat niet op te met voor zijn er maar ook als bij wordt worden ik we',
};
const LANGUAGE_SETS = Object.entries(LANGUAGE_WORDS).map(([lang, ws]) => [lang, new Set(ws.split(' '))] as const);

/** Function-word hits per language (in LANGUAGE_SETS order) and the number of words seen. */
export interface LanguageHits {
  hits: number[];
  words: number;
}

export function newLanguageHits(): LanguageHits {
  return { hits: LANGUAGE_SETS.map(() => 0), words: 0 };
}

export function countLanguageWords(ws: readonly string[], acc: LanguageHits): void {
  acc.words += ws.length;
  for (const w of ws) {
    for (let i = 0; i < LANGUAGE_SETS.length; i++) if (LANGUAGE_SETS[i]![1].has(w)) acc.hits[i]!++;
  }
}

export function languageOf(acc: LanguageHits): string {
  let best = 'und';
  let bestHits = 0;
  acc.hits.forEach((h, i) => {
    if (h > bestHits) (best = LANGUAGE_SETS[i]![0]), (bestHits = h);
  });
  // Two function words are not evidence; a one-line letter stays 'und'.
  return bestHits >= 3 && bestHits >= acc.words * 0.08 ? best : 'und';
}

/** The language of a text among a few European ones, or 'und' when there is too little to tell. */
export function detectLanguage(text: string): string {
  const acc = newLanguageHits();
  countLanguageWords(words(text), acc);
  return languageOf(acc);
}
