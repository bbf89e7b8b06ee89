// URL extraction and normalisation, so that the many ways a reader pastes a
// link (http/https, www or not, tracking parameters, #fragments, AMP, trailing
// slash) all land on the same key as the article's canonical URL.

// Parameters that never identify a page: campaign/click tracking and sharing.
const TRACKING_PARAM = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ref|ref_src|ref_url|referrer|source|src|cmpid|cmp|smid|smtyp|share|s_cid|ito|icid|ncid|ocid|cid|sr_share|at_medium|at_campaign|amp|output|outputtype|partner|via|mod|rss|feed|spm|wt\.mc_id|xtor)$/i;

export interface NormalisedUrl {
  /** host (no www.) + path (no trailing slash) + sorted significant query. */
  key: string;
  /** host + path only: a looser key used when the query does not match. */
  pathKey: string;
  host: string;
}

/** Normalise a URL string; returns null when it is not an http(s) URL. */
export function normaliseUrl(raw: string): NormalisedUrl | null {
  let s = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = 'http://' + s;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  let host = u.hostname.toLowerCase().replace(/\.$/, '');
  host = host.replace(/^(www\d*|m|mobile|amp)\./, '');
  let path = safeDecode(u.pathname).replace(/\/+/g, '/');
  // AMP and print variants of an article page.
  path = path.replace(/\/(amp|print)\/?$/i, '/').replace(/\.amp(\.html?)?$/i, '$1');
  path = path.replace(/\/(index\.(html?|php|aspx?))$/i, '/');
  path = path.replace(/\/+$/, '');
  const kept: string[] = [];
  for (const [k, v] of u.searchParams) {
    if (!TRACKING_PARAM.test(k)) kept.push(`${k.toLowerCase()}=${v}`);
  }
  kept.sort();
  const pathKey = host + path;
  return { key: kept.length ? `${pathKey}?${kept.join('&')}` : pathKey, pathKey, host };
}

function safeDecode(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

/**
 * URLs in free text, also bare `www.` links and links in angle brackets.
 * Trailing sentence punctuation and unbalanced closing brackets are trimmed.
 */
export function extractUrls(text: string): string[] {
  const out: string[] = [];
  const re = /\b(?:https?:\/\/|www\.)[^\s<>"'\u00a0\u201c\u201d\u2018\u2019]+/gi;
  for (const m of text.matchAll(re)) {
    let u = m[0];
    for (;;) {
      const last = u[u.length - 1];
      if (/[.,;:!?]/.test(last)) {
        u = u.slice(0, -1);
      } else if (last === ')' && count(u, '(') < count(u, ')')) {
        u = u.slice(0, -1);
      } else if ((last === ']' || last === '}') && !u.includes(last === ']' ? '[' : '{')) {
        u = u.slice(0, -1);
      } else break;
    }
    if (u.length > 4) out.push(u);
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
