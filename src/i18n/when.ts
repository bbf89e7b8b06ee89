// "When to try again" in the reader's language, from a number of seconds: the
// words a refused form shows beside its Retry-After header. English is the
// doors' own phrasing (util/busy.ts, also used in API and SMTP messages); the
// others say "in about N minutes", rounded the same way, with the unit as
// the language writes it.
import { inWords, roundedWait } from '../util/busy.ts';

const ABOUT: Record<string, { soon: string; about: (amount: string) => string }> = {
  de: { soon: 'in ein paar Sekunden', about: (a) => `in etwa ${a}` },
  fr: { soon: 'dans quelques secondes', about: (a) => `dans environ ${a}` },
  es: { soon: 'en unos segundos', about: (a) => `en aproximadamente ${a}` },
};

export function whenInWords(lang: string, seconds: number): string {
  const words = ABOUT[lang.split('-')[0]!];
  if (!words) return inWords(seconds);
  const w = roundedWait(seconds);
  if (!w) return words.soon;
  return words.about(new Intl.NumberFormat(lang, { style: 'unit', unit: w.unit, unitDisplay: 'long' }).format(w.n));
}
