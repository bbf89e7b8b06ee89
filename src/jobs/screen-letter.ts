// Screening of a newly stored letter, run in the background so that intake
// stays fast: policy flags from the publication's settings.
import type { AppContext } from '../context.ts';
import { findArticleById } from '../db/repositories/articles.ts';
import { findLetterById, updateLetter } from '../db/repositories/letters.ts';
import { countLettersByVariantSince, findWriterById } from '../db/repositories/writers.ts';
import { variantKey } from '../letters/writer-keys.ts';
import { registerJob } from './runner.ts';

export async function screenLetter(ctx: AppContext, letterId: string): Promise<void> {
  const { db } = ctx;
  const letter = await findLetterById(db, letterId);
  if (!letter) return;
  const p = ctx.publication.policies;
  const flags = new Set(letter.flags);
  if (letter.wordCount > p.wordLimit) flags.add('too_long');
  const article = letter.articleId ? await findArticleById(db, letter.articleId) : null;
  if (article?.publishedAt && letter.createdAt.getTime() - article.publishedAt.getTime() > p.articleAgeDays * 86400_000) flags.add('article_too_old');
  const writer = await findWriterById(db, letter.writerId);
  if (writer) {
    const since = new Date(letter.createdAt.getTime() - p.oneLetterPerDays * 86400_000);
    // This letter counts itself; an earlier one makes two.
    if ((await countLettersByVariantSince(db, variantKey(writer.email), since)) > 1) flags.add('wrote_recently');
  }
  if (p.requireExclusive && !letter.exclusive) flags.add('not_exclusive');
  if (letter.pow === 'missing') flags.add('no_proof_of_work');
  await db.writes.run((trx) => updateLetter(db, letter.id, { flags: [...flags] }, trx));
}

registerJob('screen_letter', async (ctx, payload) => screenLetter(ctx, String(payload.letterId)));
