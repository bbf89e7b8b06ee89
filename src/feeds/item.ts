// What a feed says about one article, whatever its format. A field left out
// is one the feed does not give: the stored article keeps its value.
export type FeedItem = {
  url: string;
  title?: string;
  author?: string;
  publishedAt?: Date;
  section?: string;
  body?: string;
};

/** Why a feed could not be read, as the desk's settings page shows it. */
export class FeedError extends Error {
  readonly httpStatus: number | null;
  constructor(message: string, httpStatus: number | null = null) {
    super(message);
    this.name = 'FeedError';
    this.httpStatus = httpStatus;
  }
}

/** An absolute http(s) URL for `href` relative to `base`, or null. */
export function absoluteUrl(href: unknown, base: string): string | null {
  if (typeof href !== 'string' || !href.trim()) return null;
  try {
    const u = new URL(href.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** A date a feed wrote (RFC 822, ISO 8601, W3C), or undefined when it is not one. */
export function feedDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Drops undefined fields, so that "not given" stays not given. */
export function item(fields: FeedItem): FeedItem {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')) as FeedItem;
}
