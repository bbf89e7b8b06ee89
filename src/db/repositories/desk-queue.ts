// Queries the desk needs beside the letters API: counts per status and per
// article, and a writer's other letters.
import type { Db } from '../connect.ts';

export type ArticleCount = { articleId: string | null; title: string | null; status: string; n: number };

/**
 * Letters per (article, status), with the article's title; null article =
 * unmatched. Grouped on the (article_id, status) index alone, titles looked up
 * after: grouping by a joined title made the database sort every letter.
 */
export async function countLettersByArticle(db: Db): Promise<ArticleCount[]> {
  const rows = await db.read
    .selectFrom('letters')
    .select(['article_id', 'status', (e) => e.fn.countAll().as('n')])
    .groupBy(['article_id', 'status'])
    .execute();
  const ids = [...new Set(rows.map((r) => r.article_id).filter((id): id is string => id !== null))];
  const titles = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = await db.read.selectFrom('articles').select(['id', 'title']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const a of chunk) titles.set(a.id, a.title);
  }
  return rows.map((r) => ({ articleId: r.article_id, title: r.article_id ? (titles.get(r.article_id) ?? null) : null, status: r.status, n: db.dialect.readInt(r.n) }));
}

export type WriterLetter = { id: string; status: string; articleId: string | null; articleTitle: string | null; subject: string | null; createdAt: Date; publishedAt: Date | null };

export async function lettersOfWriter(db: Db, writerId: string, limit: number): Promise<WriterLetter[]> {
  const rows = await db.read
    .selectFrom('letters')
    .leftJoin('articles', 'articles.id', 'letters.article_id')
    .select(['letters.id', 'letters.status', 'letters.article_id', 'articles.title', 'letters.subject', 'letters.created_at', 'letters.published_at'])
    .where('letters.writer_id', '=', writerId)
    .orderBy('letters.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    articleId: r.article_id,
    articleTitle: r.title,
    subject: r.subject,
    createdAt: db.dialect.readTime(r.created_at),
    publishedAt: db.dialect.readTimeOrNull(r.published_at),
  }));
}

export type CampaignCount = { campaignId: string; status: string; n: number };

/** Letters per (campaign, status), for the queue's one-row-per-campaign view. */
export async function countLettersByCampaign(db: Db): Promise<CampaignCount[]> {
  const rows = await db.read
    .selectFrom('letters')
    .select(['campaign_id', 'status', (e) => e.fn.countAll().as('n')])
    .where('campaign_id', 'is not', null)
    .groupBy(['campaign_id', 'status'])
    .execute();
  return rows.map((r) => ({ campaignId: r.campaign_id!, status: r.status, n: db.dialect.readInt(r.n) }));
}
