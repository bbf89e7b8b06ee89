// An article as the API and the JSONL import accept it.
import { z } from 'zod';

const clean = (max: number) => z.string().trim().min(1).max(max).refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(s), 'contains control characters');

export const articleInput = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'id: letters, digits, ".", "_" or "-", at most 128 characters')
    .optional(),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).max(2000),
  title: clean(500),
  author: clean(200).nullish(),
  publishedAt: z.iso.datetime({ offset: true, error: 'publishedAt must be an ISO 8601 date-time, like 2010-10-20T12:00:00Z' }).nullish(),
  section: clean(200).nullish(),
  body: z.string().max(500_000).nullish(),
});
export type ArticleInputBody = z.output<typeof articleInput>;
