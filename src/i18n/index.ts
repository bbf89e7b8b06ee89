// Readers' languages: message catalogues (ICU MessageFormat, formatted by
// intl-messageformat), a publication's own messages over them, and the
// choice of language from a browser's Accept-Language. Pure: no I/O.
//
// A translator falls back key by key: the publication's message in the
// language, the built-in one, then English. A publication may add a
// language of its own (any BCP 47 tag) by giving messages for it.
import { IntlMessageFormat } from 'intl-messageformat';
import { html, SafeHtml } from '../util/html.ts';
import { de } from './catalogues/de.ts';
import { en, type MessageKey } from './catalogues/en.ts';
import { es } from './catalogues/es.ts';
import { fr } from './catalogues/fr.ts';

export type { MessageKey };
export { detectLanguage } from './detect.ts';
export type Values = Record<string, string | number | Date>;
/** A publication's own messages: language → key → ICU message. */
export type Extensions = Record<string, Partial<Record<string, string>>>;

export const BUILT_IN: Record<string, Record<MessageKey, string>> = { en, de, fr, es };
export const BUILT_IN_LANGUAGES = Object.keys(BUILT_IN);

export type Translator = {
  /** The language's tag, for `<html lang>` and formatting. */
  lang: string;
  /** A message as plain text (mail, titles, attributes); <b>…</b> tags are dropped, their text kept. */
  t(key: MessageKey, values?: Values): string;
  /** A message as HTML: values and text escaped, <b>…</b> as <strong>. */
  h(key: MessageKey, values?: Values): SafeHtml;
  /** A date as readers of the language write it (UTC, as it is stored). */
  date(d: Date, style?: 'long' | 'full'): string;
};

/** Canonical form of a language tag ("DE-at" → "de-AT"), or null when it is not one. */
export function canonicalTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** The languages a publication can answer in: the built-in ones and those it added. */
export function availableLanguages(ext: Extensions = {}): string[] {
  return [...new Set([...BUILT_IN_LANGUAGES, ...Object.keys(ext).map((l) => canonicalTag(l)).filter((l): l is string => !!l)])];
}

/** Whether a language can be served: it has a catalogue, or its base language has ("en-GB" by "en", with British dates). */
export function servable(tag: string, ext: Extensions = {}): boolean {
  const all = availableLanguages(ext);
  return all.includes(tag) || all.includes(tag.split('-')[0]!);
}

/**
 * The best of `available` for an Accept-Language header (RFC 9110 §12.5.4):
 * by quality, then order; "de-CH" is served by "de" when there is no
 * "de-CH". Null when none fits (the caller uses the publication's language).
 */
export function negotiate(header: string | undefined | null, available: readonly string[]): string | null {
  if (!header) return null;
  const wanted = header
    .split(',')
    .slice(0, 30)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const lower = available.map((a) => a.toLowerCase());
  for (const w of wanted) {
    const exact = lower.indexOf(w.tag);
    if (exact >= 0) return available[exact]!;
    const base = w.tag.split('-')[0]!;
    const byBase = lower.findIndex((a) => a === base || a.split('-')[0] === base);
    if (byBase >= 0) return available[byBase]!;
  }
  return null;
}

/** Checks a publication's messages before they are saved: every one must be a valid ICU message. */
export function checkExtensions(ext: Extensions): string[] {
  const problems: string[] = [];
  for (const [lang, messages] of Object.entries(ext)) {
    const tag = canonicalTag(lang);
    if (!tag) {
      problems.push(`"${lang}" is not a language tag`);
      continue;
    }
    for (const [key, message] of Object.entries(messages)) {
      if (!(key in en)) problems.push(`${lang}: "${key}" is not a message key`);
      else if (typeof message !== 'string') problems.push(`${lang}: "${key}" must be text`);
      else {
        try {
          new IntlMessageFormat(message, tag);
        } catch (err) {
          problems.push(`${lang}: "${key}": ${(err as Error).message}`);
        }
      }
    }
  }
  return problems;
}

// Parsed messages are kept: a page formats dozens of them. Keyed by language
// and message text, so a publication's changed message is parsed afresh.
const formats = new Map<string, IntlMessageFormat>();
function format(lang: string, message: string): IntlMessageFormat {
  const k = `${lang}\u0000${message}`;
  let f = formats.get(k);
  if (!f) {
    f = new IntlMessageFormat(message, lang);
    if (formats.size > 5000) formats.clear();
    formats.set(k, f);
  }
  return f;
}

/** A translator for `lang`, with the publication's own messages over the built-in ones. */
export function translator(lang: string, ext: Extensions = {}): Translator {
  const tag = canonicalTag(lang) ?? 'en';
  const base = tag.split('-')[0]!;
  const own = Object.entries(ext).filter(([l]) => canonicalTag(l) === tag || canonicalTag(l) === base).map(([, m]) => m);
  const builtIn = BUILT_IN[tag] ?? BUILT_IN[base];
  const pick = (key: MessageKey): { message: string; lang: string } => {
    for (const m of own) if (typeof m[key] === 'string') return { message: m[key]!, lang: tag };
    if (builtIn) return { message: builtIn[key], lang: tag };
    return { message: en[key], lang: 'en' };
  };
  const run = (key: MessageKey, values: Values, tags: Record<string, (chunks: unknown[]) => unknown>): unknown => {
    const { message, lang: l } = pick(key);
    try {
      return format(l, message).format({ ...values, ...tags });
    } catch {
      // A publication's message that does not fit the values: the built-in one.
      return format('en', en[key]).format({ ...values, ...tags });
    }
  };
  const plain = (chunks: unknown[]) => chunks.join('');
  return {
    lang: tag,
    t: (key, values = {}) => {
      const out = run(key, values, { b: plain });
      return Array.isArray(out) ? out.join('') : String(out);
    },
    h: (key, values = {}) => {
      const out = run(key, values, { b: (chunks) => html`<strong>${chunks}</strong>` });
      // Strings in the result (message text and values) are escaped; only the tags' own markup is not.
      return html`${Array.isArray(out) ? out : String(out)}`;
    },
    date: (d, style = 'long') => d.toLocaleDateString(tag, { ...(style === 'full' ? { weekday: 'long' } : {}), day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
  };
}
