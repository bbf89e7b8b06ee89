// What readers see of the publication: the language its pages and its mail
// to writers are in (or the reader's own, where the publication allows it),
// its own messages over the built-in catalogues, and its look (colours and
// logo). Kept in the publication's settings JSON under `readers`, set with
// PATCH /api/v1/settings/readers.
import type { Publication } from '../db/repositories/publication.ts';
import { availableLanguages, canonicalTag, negotiate, servable, translator, type Extensions, type Translator } from '../i18n/index.ts';

export type Brand = {
  /** Links and buttons (#rrggbb). */
  accent: string | null;
  /** The page's background and text (#rrggbb). */
  background: string | null;
  text: string | null;
  /** The publication's logo: an https address or a path on this site. */
  logoUrl: string | null;
  /** The publication's own site, linked from the masthead. */
  homeUrl: string | null;
};

export type ReaderSettings = {
  /** The publication's language (a BCP 47 tag with a catalogue, built in or its own, or a regional form of one: "en-GB"). */
  language: string;
  /** Answer each reader in their browser's language (Accept-Language) when there is a catalogue for it. */
  readerLanguage: boolean;
  /** The publication's own messages: language → message key → ICU message. */
  messages: Extensions;
  brand: Brand;
};

export const defaultReaderSettings: ReaderSettings = {
  language: 'en',
  readerLanguage: false,
  messages: {},
  brand: { accent: null, background: null, text: null, logoUrl: null, homeUrl: null },
};

const HEX = /^#[0-9a-f]{6}$/i;
const colour = (v: unknown) => (typeof v === 'string' && HEX.test(v) ? v.toLowerCase() : null);
/** An https address, or a path on this site; anything else (javascript:, data:) is no logo. */
export const safeImageUrl = (v: unknown) => (typeof v === 'string' && (/^https:\/\/[^\s"'<>]+$/i.test(v) || /^\/(?!\/)[^\s"'<>]*$/.test(v)) ? v : null);
const httpUrl = (v: unknown) => (typeof v === 'string' && /^https?:\/\/[^\s"'<>]+$/i.test(v) ? v : null);

/** The settings as stored, with anything unusable replaced by the default. */
export function readerSettings(pub: Publication): ReaderSettings {
  const s = ((pub.policies as unknown as { readers?: Partial<ReaderSettings> }).readers ?? {}) as Partial<ReaderSettings>;
  const messages = s.messages && typeof s.messages === 'object' ? s.messages : {};
  const language = (typeof s.language === 'string' && canonicalTag(s.language)) || 'en';
  const b = (s.brand ?? {}) as Partial<Brand>;
  return {
    language: servable(language, messages) ? language : 'en',
    readerLanguage: s.readerLanguage === true,
    messages,
    brand: { accent: colour(b.accent), background: colour(b.background), text: colour(b.text), logoUrl: safeImageUrl(b.logoUrl), homeUrl: httpUrl(b.homeUrl) },
  };
}

/** The language of a page for a reader: theirs when the publication allows it and has a catalogue for it, else the publication's. */
export function pageLanguage(pub: Publication, acceptLanguage: string | undefined): { lang: string; fromReader: boolean } {
  const s = readerSettings(pub);
  if (s.readerLanguage) {
    const chosen = negotiate(acceptLanguage, availableLanguages(s.messages));
    if (chosen) return { lang: chosen, fromReader: chosen !== s.language };
  }
  return { lang: s.language, fromReader: false };
}

/** A translator for a page shown to this reader. */
export function pageTranslator(pub: Publication, acceptLanguage: string | undefined): Translator {
  return translator(pageLanguage(pub, acceptLanguage).lang, readerSettings(pub).messages);
}

/** A translator for mail to a letter's writer: the language they wrote in when it was theirs, else the publication's. */
export function writerTranslator(pub: Publication, letter: { language: string | null }): Translator {
  const s = readerSettings(pub);
  const lang = letter.language && s.readerLanguage && availableLanguages(s.messages).includes(letter.language) ? letter.language : s.language;
  return translator(lang, s.messages);
}
