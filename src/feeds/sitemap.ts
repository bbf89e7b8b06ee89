// Sitemaps (sitemaps.org) and Google News sitemaps: a URL and a date per
// article, and in a news sitemap its headline. A plain sitemap names no
// headline, so one is made from the URL's last segment until a richer source
// (the API, another feed) gives the real one. A sitemap index lists further
// sitemaps.
import { absoluteUrl, feedDate, item, type FeedItem } from './item.ts';
import { lineText, titleFromUrl } from './text.ts';
import { list, text, type XmlNode } from './xml.ts';

export function sitemapItems(urlset: XmlNode, base: string): FeedItem[] {
  return list(urlset.url).flatMap((u) => {
    const url = absoluteUrl(text(u.loc), base);
    if (!url) return [];
    const news = list(u['news:news'])[0];
    return [
      item({
        url,
        title: lineText(text(news?.['news:title'])) ?? titleFromUrl(url) ?? undefined,
        publishedAt: feedDate(text(news?.['news:publication_date'])) ?? feedDate(text(u.lastmod)),
      }),
    ];
  });
}

export type SitemapRef = { url: string; lastmod: Date | null };

export function sitemapIndex(index: XmlNode, base: string): SitemapRef[] {
  return list(index.sitemap).flatMap((s) => {
    const url = absoluteUrl(text(s.loc), base);
    return url ? [{ url, lastmod: feedDate(text(s.lastmod)) ?? null }] : [];
  });
}
