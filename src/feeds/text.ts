// Text from a feed's fields: titles and names are one line, bodies are the
// article's text. HTML in either is turned into text by the mail reader's
// converter (linear scan, no DOM, scripts and styles dropped): nothing a feed
// carries is kept as markup.
import { decodeEntities, htmlToText } from '../mail/html-to-text.ts';

/** The largest body kept (the article schema's limit). */
const MAX_BODY = 500_000;
// Control characters other than tab and newline: a feed may carry them, the article schema refuses them.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const looksLikeHtml = (s: string) => /<\/?[a-zA-Z][^>]*>|<!--/.test(s);

/** A title, name or section: markup and entities resolved, whitespace folded; null when empty. */
export function lineText(value: string | null | undefined, max = 500): string | null {
  if (value == null) return null;
  const text = (looksLikeHtml(value) ? htmlToText(value) : decodeEntities(value)).replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, max).trim() : null;
}

/** An article's text from HTML (or plain text); null when empty. */
export function bodyText(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = (looksLikeHtml(value) ? htmlToText(value, MAX_BODY * 4) : decodeEntities(value))
    .replace(CONTROL, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text ? text.slice(0, MAX_BODY) : null;
}

/** A headline from a URL's last path segment, for sitemaps that give none: /2024/05/tram-fares-rise → "Tram fares rise". */
export function titleFromUrl(url: string): string | null {
  let segment: string;
  try {
    segment = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
  } catch {
    return null;
  }
  const words = segment.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[-_+]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!/\p{L}/u.test(words)) return null;
  return (words[0]!.toUpperCase() + words.slice(1)).slice(0, 500);
}
