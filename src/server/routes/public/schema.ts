// Shapes of the public pages, feeds and writers' link pages: path and query
// parameters, and the link pages' form bodies (kept whatever they hold: the
// page says what is missing).
import { z } from 'zod';

export const letterParams = z.object({ letterId: z.string().max(100) });
export const linkParams = z.object({ letterId: z.string().max(100), token: z.string().max(200) });
export const linkFormBody = z.record(z.string(), z.string()).catch({});
export const lettersPageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1) });
export const articleLettersParams = z.object({ articleId: z.string().max(200) });
export const articleLettersQuery = z.object({
  format: z.enum(['html', 'fragment', 'json']).default('html'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1).describe('The HTML page: 20 letters a page, newest first.'),
});
