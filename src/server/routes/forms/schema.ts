// Shapes of the letter form's pages (HTML): path and query parameters. The
// form's fields are checked by the letters' own rules (letters/submission.ts).
import { z } from 'zod';

export const articleParams = z.object({ articleId: z.string().max(200) });
export const thanksParams = z.object({ letterId: z.string().max(100) });
export const thanksQuery = z.object({ sig: z.string().max(100).default('') });
export const confirmParams = z.object({ token: z.string().max(200) });
