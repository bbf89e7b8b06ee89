// What the feeds API answers: a feed with the state of its polls, as the
// desk's settings page shows it.
import type { Feed } from '../../../db/repositories/feeds.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An operator's feed URL may carry a password (ARTICLE_FEEDS): the desk shows it hidden. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

export function presentFeed(f: Feed) {
  return {
    id: f.id,
    url: shown(f.url),
    format: f.format,
    detectedFormat: f.detectedFormat,
    /** desk: added here; config: from ARTICLE_FEEDS (changed by the operator only). */
    origin: f.origin,
    state: !f.lastAttemptAt ? 'waiting' : f.failuresInRow > 0 ? 'failing' : 'ok',
    lastAttemptAt: iso(f.lastAttemptAt),
    lastSuccessAt: iso(f.lastSuccessAt),
    lastErrorAt: iso(f.lastErrorAt),
    lastError: f.lastError,
    lastHttpStatus: f.lastHttpStatus,
    failuresInRow: f.failuresInRow,
    itemsSeen: f.itemsSeen,
    itemsSkipped: f.itemsSkipped,
    articlesAdded: f.articlesAdded,
    articlesUpdated: f.articlesUpdated,
  };
}
