// Shapes of the article feeds API: a feed as an admin adds it.
import { z } from 'zod';
import { FEED_FORMATS } from '../../../db/repositories/feeds.ts';

export const feedBody = z.strictObject({
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => {
      try {
        const p = new URL(u);
        return (p.protocol === 'http:' || p.protocol === 'https:') && !p.username && !p.password;
      } catch {
        return false;
      }
    }, 'url must be an http or https URL (without a user name or password in it)'),
  format: z.enum(FEED_FORMATS).default('auto').describe('auto: whatever the document is; or rss (also RSS 1.0), atom, json (JSON Feed), sitemap (also sitemap indexes and Google News sitemaps), wordpress (/wp-json/wp/v2/posts).'),
});

export const feedIdParams = z.strictObject({ id: z.string().min(1).max(100) });
