// Per-article figures for "what readers think": letters per day, by status,
// and by campaign.
import type { Db } from '../connect.ts';

export type ArticleInsights = {
  total: number;
  byStatus: Record<string, number>;
  perDay: { day: string; letters: number }[];
  campaigns: { campaignId: string; letters: number }[];
};

export async function articleInsights(db: Db, articleId: string): Promise<ArticleInsights> {
  const m = db.dialect;
  // UTC day of arrival, as text.
  const day = db.dialect.utcDay('created_at');
  const [statuses, days, campaigns] = await Promise.all([
    db.read.selectFrom('letters').select(['status', (e) => e.fn.countAll().as('n')]).where('article_id', '=', articleId).groupBy('status').execute(),
    db.read.selectFrom('letters').select([day.as('day'), (e) => e.fn.countAll().as('n')]).where('article_id', '=', articleId).groupBy(day).orderBy(day).execute(),
    db.read
      .selectFrom('letters')
      .select(['campaign_id', (e) => e.fn.countAll().as('n')])
      .where('article_id', '=', articleId)
      .where('campaign_id', 'is not', null)
      .groupBy('campaign_id')
      .execute(),
  ]);
  const byStatus = Object.fromEntries(statuses.map((r) => [r.status, m.readInt(r.n)]));
  return {
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    perDay: days.map((r) => ({ day: String(r.day), letters: m.readInt(r.n) })),
    campaigns: campaigns.map((r) => ({ campaignId: r.campaign_id!, letters: m.readInt(r.n) })).sort((a, b) => b.letters - a.letters),
  };
}
