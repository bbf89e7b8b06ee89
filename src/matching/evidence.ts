// Evidence a letter carries about the article it answers, beyond shared topic
// words: the names, places and numbers it repeats, the words it quotes, and
// its own description of the piece ("your article on American aid to
// Pakistan"). These hold across languages (names and numbers are not
// translated; a small bilingual list covers common headline words), and they
// let a three-line reply that names the article's people match with
// confidence while a letter on the same broad subject, naming nobody, does not.
// Pure functions over text.

import { fold, hash32, stem, STOPWORDS, terms, words } from './text.ts';

// --- names, places and numbers ---------------------------------------------

type Token = { raw: string; start: boolean; at: number };

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return LETTER_OR_DIGIT.test(text[i]!);
}
// Characters between words that end a sentence (or a line, a quotation, a
// parenthesis): . ! ? : ; " ( ) newline, and “ ” « » — –.
function endsSentence(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 58 || c === 59 || c === 34 || c === 40 || c === 41 || c === 10 ||
    c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb || c === 0x2014 || c === 0x2013;
}
const ABBREVIATION = /^(\p{L}(\.\p{L})+|dr|mr|mrs|ms|st|mt|sen|gov|rep|prof|gen|col|lt|capt|no|vs|jr|sr)$/iu;

/**
 * Words of the text (letters and digits, with inner apostrophes, dots and
 * hyphens: "O'Malley", "U.S", "1,000") and whether each starts a sentence or
 * a line. A hand-written scanner: articles are scanned when indexed.
 */
function tokens(text: string, limitWords = Infinity): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let start = true;
  let i = 0;
  while (i < n && out.length < limitWords) {
    if (!isWordChar(text, i)) {
      if (endsSentence(text.charCodeAt(i))) start = true;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      if (isWordChar(text, j)) {
        j++;
        continue;
      }
      const d = text.charCodeAt(j);
      // ' ’ . - inside a word; a comma between digits ("1,000").
      const inner = d === 39 || d === 0x2019 || d === 46 || d === 45 || (d === 44 && isDigit(text.charCodeAt(j - 1)) && isDigit(text.charCodeAt(j + 1)));
      if (inner && j + 1 < n && isWordChar(text, j + 1)) j += 2;
      else break;
    }
    const raw = text.slice(i, j);
    out.push({ raw, start, at: i });
    start = false;
    // A dot right after an abbreviation ("Dr.", "U.S.") does not end the sentence.
    i = text.charCodeAt(j) === 46 && raw.length <= 5 && ABBREVIATION.test(raw) ? j + 1 : j;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const CAPITAL = /^\p{Lu}/u;
const ACRONYM = /^\p{Lu}{2,6}s?$/u;

/** A number as an evidence key: digits only ("1,000" → "1000"); two digits or more. */
function numberKey(raw: string): string | null {
  const c = raw.charCodeAt(0);
  if (c < 48 || c > 57 || !/^\d[\d,.]*s?$/.test(raw)) return null;
  const n = raw.replace(/s$/, '').replace(/[,.](?=\d{3}\b)/g, '');
  return /^\d{2,}/.test(n) ? '#' + n.replace(/[.,]$/, '') : null;
}

const ASCII = /^[\x00-\x7f]*$/;

/** Evidence key of a name token: its stem, accent- and case-folded. */
export function nameKey(raw: string): string {
  const f = ASCII.test(raw) ? raw.toLowerCase() : fold(raw);
  return stem(f.replace(/['’].*$/, '').replace(/\./g, ''));
}

/**
 * Names, places and numbers an article mentions: capitalised words that the
 * article never writes in lower case (so "Last" at the start of a sentence is
 * not a name, "Marsh" is), acronyms, and numbers of two digits or more.
 */
function entitiesOf(toks: Token[]): Set<string> {
  const lower = new Set<string>();
  const midCapital = new Set<string>();
  for (const t of toks) {
    if (!CAPITAL.test(t.raw)) lower.add(nameKey(t.raw));
    else if (!t.start) midCapital.add(t.raw.toLowerCase());
  }
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const num = numberKey(t.raw);
    if (num) {
      out.add(num);
      continue;
    }
    if (!CAPITAL.test(t.raw) || t.raw.length < 2 || ABBREVIATION.test(t.raw)) continue;
    const f = t.raw.toLowerCase();
    const key = nameKey(t.raw);
    if (lower.has(key) || STOPWORDS.has(key)) continue;
    // At the start of a sentence only when it is capitalised elsewhere too, or
    // runs on into another capitalised word ("Ellie Marsh opened …").
    const next = toks[i + 1];
    if (t.start && !midCapital.has(f) && !ACRONYM.test(t.raw) && !(next && !next.start && CAPITAL.test(next.raw))) continue;
    out.add(key);
  }
  return out;
}

/** True for a headline-style subject ("Flood Relief for Pakistan"), whose capitals are no names. */
export function isTitleCase(text: string): boolean {
  const long = words(text).length ? text.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w)) : [];
  if (long.length < 2) return false;
  return long.slice(1).filter((w) => CAPITAL.test(w)).length >= (long.length - 1) / 2;
}

/**
 * The letter's candidate names and numbers, as runs of consecutive
 * capitalised words ("Ellie Marsh", "Lashkar Gah") and single numbers. Every
 * capitalised word counts here, first words of sentences too: only those the
 * article itself treats as names are evidence.
 */
export function letterNames(text: string): string[][] {
  const toks = tokens(text);
  const runs: string[][] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) runs.push(run);
    run = [];
  };
  for (const t of toks) {
    const num = numberKey(t.raw);
    if (num) {
      flush();
      runs.push([num]);
      continue;
    }
    if (CAPITAL.test(t.raw) && t.raw.length >= 2) {
      if (t.start) flush();
      const k = nameKey(t.raw);
      if (!STOPWORDS.has(k)) run.push(EXONYMS.get(k) ?? k);
      else flush();
    } else {
      flush();
    }
  }
  flush();
  return runs;
}

// --- phrases ----------------------------------------------------------------------

// Everyday words that pair up in any text ("two years ago", "next week", "first
// time"): no evidence of a shared subject, so phrase pairs skip them like stopwords.
const GENERIC = new Set(
  `one two three four five six seven eight nine ten hundred thousand million billion first second third last next
  year years month months week weeks day days today yesterday tomorrow time times ago later early late now once
  morning evening night hour hours minute minutes moment spring summer autumn fall winter
  say says said make makes made take takes took know knows knew think thinks thought want wants need needs come comes came
  go goes went get gets got give gives gave tell tells told ask asks asked use used find found look looks looked see sees saw
  seem seems keep keeps kept put let mean means like well good new old great little many much long own other same right
  still even never ever always way thing things people person man men woman women part place case point fact number
  group world life work lot lots kind sort end start back yes really just also please thank thanks read wrote write`
    .split(/\s+/)
    .filter(Boolean)
    .map(stem),
);

/** A pair of neighbouring content words, with where its two words are in the text. */
export interface PhrasePair {
  hash: number;
  /** The two words' stems. */
  a: string;
  b: string;
  /** Offsets of the first word's start and the second word's end. */
  from: number;
  to: number;
  /** True when the pair continues the previous one ("full independent" after "dollar full"). */
  chained: boolean;
}

/**
 * Pairs of neighbouring content words (stopwords and everyday words skipped,
 * within a sentence), in text order: "civilian package", "power plants",
 * "paper … trust" from "paper is where the trust goes". A letter that shares
 * several with an article quotes it or speaks of the same things in its
 * words; runs of chained pairs are phrases (talking points).
 */
export function phraseChain(text: string, limitWords = Infinity): PhrasePair[] {
  return pairsOf(tokens(text, limitWords));
}

const NON_ASCII = /[^\x00-\x7f]/;

function pairsOf(toks: Token[]): PhrasePair[] {
  const out: PhrasePair[] = [];
  let prev: string | null = null;
  let prevAt = 0;
  let prevPairEndsAt = -1;
  for (const tok of toks) {
    if (tok.start) prev = null;
    const raw = tok.raw;
    const c0 = raw.charCodeAt(0);
    if (raw.length < 3 || (c0 >= 48 && c0 <= 57)) continue;
    let lower = NON_ASCII.test(raw) ? fold(raw) : raw.toLowerCase();
    const q = lower.search(/['’]/);
    if (q > 0) lower = lower.slice(0, q);
    const t = stem(lower);
    if (t.length < 3 || STOPWORDS.has(t) || GENERIC.has(t)) continue;
    if (prev !== null && prev !== t) {
      out.push({ hash: hash32(`${prev} ${t}`), a: prev, b: t, from: prevAt, to: tok.at + raw.length, chained: prevPairEndsAt === prevAt });
      prevPairEndsAt = tok.at;
    }
    prev = t;
    prevAt = tok.at;
  }
  return out;
}

/** An article's names, places and numbers, and the sorted hashes of its phrase pairs (phraseChain), in one pass. */
export function articleEvidence(text: string, limitWords = Infinity): { entities: Set<string>; phrases: Uint32Array } {
  const toks = tokens(text, limitWords);
  return { entities: entitiesOf(toks), phrases: sortedHashes(pairsOf(toks).map((p) => p.hash)) };
}

/** Sorted distinct 32-bit hashes, for membership by binary search (hasHash). */
export function sortedHashes(hashes: number[]): Uint32Array {
  const arr = Uint32Array.from(hashes).sort();
  let k = 0;
  for (let i = 0; i < arr.length; i++) if (i === 0 || arr[i] !== arr[i - 1]) arr[k++] = arr[i]!;
  return arr.slice(0, k);
}

/** True when `h` is in the sorted array (binary search). */
export function hasHash(sorted: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v < h) lo = mid + 1;
    else if (v > h) hi = mid - 1;
    else return true;
  }
  return false;
}

// --- the letter's own description of the piece ---------------------------------

const DESCRIPTION = [
  // English: "your article on …", "the piece about …", "Ms Cho's explainer of …"
  /\b(?:your|the|this|that|[\p{Lu}][\p{L}.'’-]*['’]s)\s+(?:recent\s+|excellent\s+|fine\s+|thoughtful\s+|latest\s+|sunday\s+|front-page\s+)?(?:article|piece|report|reporting|story|column|editorial|explainer|essay|op-?ed|coverage|feature|analysis|dispatch|investigation)(?:\s+by\s+[\p{Lu}][\p{L}.'’-]*(?:\s+[\p{Lu}][\p{L}.'’-]*)?)?(?:\s*\([^)]{0,40}\))?\s*(?:,\s*)?(?:on|about|regarding|concerning|describing|of|into|from)\s+([^.;:!?\n]{4,120})/giu,
  // German: "Ihr Artikel über …", "zu Ihrem Bericht über …"
  /\b(?:ihr|ihrem|ihren|ihres|der|den|dem)\s+(?:artikel|bericht|beitrag|kommentar|leitartikel|reportage)\s+(?:über|zu|zum|zur|vom|von)\s+([^.;:!?\n]{4,120})/giu,
  // French: "votre article sur …"
  /\b(?:votre|l['’]|cet|ce)\s*(?:article|reportage|enquête|éditorial|chronique|papier)\s+(?:sur|à propos de|au sujet de|concernant|consacré à|consacrée à)\s+([^.;:!?\n]{4,120})/giu,
  // Spanish: "su artículo sobre …"
  /\b(?:su|el|este|ese)\s+(?:artículo|reportaje|crónica|editorial|informe|texto)\s+(?:sobre|acerca de|de|del|respecto a)\s+([^.;:!?\n]{4,120})/giu,
];

// The letter speaks of a piece it read: "your article", "your reporter", "the
// piece by …", "you report", "Ihr Artikel", "votre article", "su artículo".
const REFERENCE =
  /\b(?:your|the|this|that|today's|sunday's|yesterday's)\s+(?:\w+\s+){0,2}(?:article|articles|piece|report|reporting|reporter|story|column|columnist|editorial|correspondent|writer|explainer|essay|op-?ed|coverage|feature|analysis|dispatch|headline)\b|\byou (?:report|reported|wrote|write|quote|quoted|describe|described|say)\b|\b(?:ihr(?:em|en)?|der|dieser)\s+(?:artikel|bericht|beitrag|korrespondent|kommentar)\b|\b(?:votre|cet|l['’])\s*(?:article|reportage|correspondant|éditorial|enquête)\b|\b(?:su|este|el)\s+(?:artículo|reportaje|corresponsal|editorial|crónica)\b/iu;

/** True when the letter refers to a piece it read (see REFERENCE); a letter on no article rarely does. */
export function refersToArticle(text: string): boolean {
  return REFERENCE.test(text);
}

// Where a description ends: the verb of the sentence it opens ("your article on
// X mentions …", "… ignores …"), or a clause ("… , which …").
const DESCRIPTION_END =
  /\s+(?:is|was|are|were|has|have|had|does|did|will|would|can|could|should|must|may|might|seems?|mention(?:s|ed)?|says?|said|argues?|argued|claims?|claimed|suggests?|suggested|ignores?|ignored|overlooks?|overlooked|misses|missed|forgets?|forgot|omits?|omitted|fails?|failed|shows?|showed|describes?|described|makes?|made|leaves?|left|raises?|raised|reminds?|reminded|struck|deserves?|gets?|got|gives?|gave|paints?|painted|treats?|treated|puts?|takes?|took|brings?|brought|which|that|who|but|and\s+i|because|when|while|ist|war|hat|sind|est|était|a\s+été|es|fue|ha)\b.*$/iu;

/** What the letter says the article was about, in its own words (may be empty). */
export function descriptions(text: string): string[] {
  const out: string[] = [];
  for (const re of DESCRIPTION) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) if (m[1]) out.push(m[1].replace(DESCRIPTION_END, '').trim());
  }
  return out.filter((d) => d.length >= 4);
}

// --- languages and common headline words -----------------------------------------

const FUNCTION_WORDS: Record<string, Set<string>> = {
  en: new Set('the and of to is that for with was this not are have from but be by on'.split(' ')),
  de: new Set('der die das und ist nicht ich sie mit den dem ein eine auch für auf zu von wie dass'.split(' ')),
  fr: new Set('le la les et est une des du que qui pas pour dans sur ce cette je vous nous au aux'.split(' ')),
  es: new Set('el la los las y es una del que por con para como pero su sus lo se al no'.split(' ')),
};

/** The language of a text among English, German, French and Spanish, by function words. */
export function language(text: string): 'en' | 'de' | 'fr' | 'es' {
  const count: Record<string, number> = { en: 0, de: 0, fr: 0, es: 0 };
  for (const w of words(text).slice(0, 400)) for (const [lang, set] of Object.entries(FUNCTION_WORDS)) if (set.has(w)) count[lang]!++;
  let best: 'en' | 'de' | 'fr' | 'es' = 'en';
  for (const lang of ['de', 'fr', 'es'] as const) if (count[lang]! > count[best]! * 1.2 && count[lang]! >= 3) best = lang;
  return best;
}

// Common headline and news words in German, French and Spanish with their
// English equivalents, and place names spelled differently ("Kaboul",
// "Afganistán"). Small on purpose: names, places and numbers carry most of a
// foreign letter's evidence; these help the description and the headline.
const BILINGUAL: Record<'de' | 'fr' | 'es', string> = {
  de: `straßenbahn:tram tram:tram bahn:line linie:line verspätet:delayed verspätung:delay verzögert:delayed brücke:bridge kanal:canal stadtrat:council rat:council
    museum:museum karte:map karten:maps landkarte:map seekarte:chart seekarten:charts hafen:harbor keller:basement schublade:drawer verloren:lost gefunden:found
    frieden:peace friedensrat:council friedensgespräche:talks verhandlungen:negotiations hindernis:obstacle größer:bigger
    hilfe:aid entwicklungshilfe:aid milliarden:billions millionen:millions dollar:dollars kaufen:buy kauft:buy
    schule:school schulen:schools kleine:small finanzierung:funding formel:formula benachteiligt:shortchanges
    daten:data datenhändler:broker gesetz:bill gesetzentwurf:bill staat:state abzug:exit nato:nato armee:army polizei:police
    wahl:election regierung:government krieg:war truppen:troops geheimdienst:intelligence`,
  fr: `tramway:tram ligne:line retard:delay retardé:delayed retardée:delayed pont:bridge canal:canal conseil:council municipal:city
    musée:museum carte:map cartes:maps port:harbor sous-sol:basement tiroir:drawer perdu:lost perdues:lost retrouve:finds retrouvées:found
    paix:peace obstacle:obstacle négociations:negotiations pourparlers:talks kaboul:kabul
    aide:aid milliards:billions millions:millions achète:buy achètent:buy
    école:school écoles:schools petites:small financement:funding formule:formula
    données:data courtiers:brokers courtier:broker projet:bill loi:bill état:state retrait:exit otan:nato armée:army police:police
    élection:election gouvernement:government guerre:war troupes:troops renseignement:intelligence`,
  es: `tranvía:tram línea:line retraso:delay retrasado:delayed retrasada:delayed puente:bridge canal:canal concejo:council ayuntamiento:council
    museo:museum mapa:map mapas:maps carta:chart cartas:charts puerto:harbor sótano:basement cajón:drawer perdidos:lost encuentra:finds
    paz:peace obstáculo:obstacle negociaciones:negotiations conversaciones:talks afganistán:afghanistan talibanes:taliban
    ayuda:aid miles:billions millones:millions compra:buy compran:buy
    escuela:school escuelas:schools pequeñas:small financiación:funding financiamiento:funding fórmula:formula
    datos:data corredores:brokers intermediarios:brokers ley:bill proyecto:bill estado:state retirada:exit otan:nato ejército:army policía:police
    elecciones:election gobierno:government guerra:war tropas:troops inteligencia:intelligence`,
};

const DICTIONARY: Record<string, Map<string, string>> = {};
for (const [lang, list] of Object.entries(BILINGUAL)) {
  const map = new Map<string, string>();
  for (const pair of list.trim().split(/\s+/)) {
    const [from, to] = pair.split(':') as [string, string];
    map.set(stem(fold(from)), stem(fold(to)));
  }
  DICTIONARY[lang] = map;
}

// Place names whose spelling differs by language, folded to one key.
const EXONYMS = new Map<string, string>(
  [['kaboul', 'kabul'], ['afganistan', 'afghanistan'], ['afghanistan', 'afghanistan'], ['pakistan', 'pakistan'], ['otan', 'nato'], ['talibanes', 'taliban'], ['talibans', 'taliban']].map(
    ([a, b]) => [stem(a!), stem(b!)],
  ),
);

/** Terms of a text, with the English equivalents of known headline words added for German, French and Spanish. */
export function termsAcrossLanguages(text: string, lang = language(text)): string[] {
  const base = terms(text);
  if (lang === 'en') return base;
  const dict = DICTIONARY[lang]!;
  const out = [...base];
  for (const t of base) {
    const en = dict.get(t) ?? EXONYMS.get(t);
    if (en && en !== t) out.push(en);
  }
  return out;
}
