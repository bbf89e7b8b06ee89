// Which of the built-in languages a letter is written in, from its most
// common small words (articles, pronouns, prepositions: every text has them,
// and they differ between English, German, French and Spanish). Used for
// letters by email, whose writers are answered in their own language where
// the publication allows it. Pure. Null when the text is too short or no
// language clearly leads: then the publication's language is used.
const FUNCTION_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'of', 'to', 'is', 'that', 'it', 'in', 'for', 'not', 'with', 'are', 'this', 'be', 'was', 'have', 'you', 'your', 'but', 'they', 'which', 'would', 'we', 'our', 'from'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'zu', 'den', 'mit', 'ein', 'eine', 'sich', 'auf', 'für', 'dass', 'es', 'ich', 'sie', 'wir', 'auch', 'von', 'dem', 'wird', 'aber', 'ihr'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'un', 'que', 'qui', 'pas', 'pour', 'dans', 'du', 'sur', 'ce', 'il', 'nous', 'vous', 'au', 'mais', 'avec', 'sont', 'cette', 'plus'],
  es: ['el', 'los', 'las', 'y', 'es', 'que', 'una', 'un', 'por', 'para', 'con', 'no', 'del', 'se', 'su', 'como', 'pero', 'lo', 'al', 'muy', 'sus', 'esta', 'más', 'está', 'son'],
};
const SETS = Object.fromEntries(Object.entries(FUNCTION_WORDS).map(([l, w]) => [l, new Set(w)]));

export function detectLanguage(text: string): string | null {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 12) return null;
  const score: Record<string, number> = {};
  for (const lang of Object.keys(SETS)) score[lang] = 0;
  for (const w of words) for (const [lang, set] of Object.entries(SETS)) if (set.has(w)) score[lang]!++;
  const ranked = Object.entries(score).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  // A clear lead: enough of the language's small words, and well ahead of the next language.
  if (!best || best[1] < Math.max(4, words.length * 0.1) || best[1] < (second?.[1] ?? 0) * 2) return null;
  return best[0];
}
