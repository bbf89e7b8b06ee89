// Articles, and what readers think of one, as the API shows them.
import type { Article } from '../../../db/repositories/articles.ts';
import type { ArticleInsights } from '../../../db/repositories/insights.ts';

/** The largest campaigns listed in an article's insights. */
const TOP_CAMPAIGNS = 10;

export function presentArticle(a: Article) {
  return {
    id: a.id,
    url: a.url,
    title: a.title,
    author: a.author,
    publishedAt: a.publishedAt?.toISOString() ?? null,
    section: a.section,
    createdAt: a.createdAt.toISOString(),
  };
}

export function presentInsights(article: Article, f: ArticleInsights) {
  const inCampaigns = f.campaigns.reduce((a, c) => a + c.letters, 0);
  return {
    article: { id: article.id, title: article.title },
    letters: f.total,
    byStatus: f.byStatus,
    perDay: f.perDay,
    campaignShare: f.total ? Math.round((inCampaigns / f.total) * 1000) / 1000 : 0,
    topCampaigns: f.campaigns.slice(0, TOP_CAMPAIGNS).map((c) => ({ id: c.campaignId, letters: c.letters })),
  };
}
