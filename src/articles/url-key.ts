// One key per article URL, so that a letter citing the article with or without
// "www.", "https", a trailing slash, tracking parameters or a fragment still
// finds it.
export function urlKey(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  let p = u.pathname.replace(/\/{2,}/g, '/');
  try {
    p = decodeURI(p);
  } catch {
    // keep it encoded
  }
  p = p.replace(/\/(index\.html?)?$/i, '');
  return `${host}${p}`;
}

/** Whether a string is an absolute http(s) URL rather than an article id. */
export function looksLikeUrl(s: string): boolean {
  return /^https?:\/\//i.test(s.trim());
}
