// What readers think about one article, first version: how many wrote and
// when, where their letters stand, and how much of it is campaigns (themes
// and representative letters come with the "what readers think" issue).
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { articleInsights } from '../../../db/repositories/insights.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody } from '../letters/schema.ts';

const TOP_CAMPAIGNS = 10;

const insightsOutput = z.object({
  article: z.object({ id: z.string(), title: z.string() }),
  letters: z.number(),
  byStatus: z.record(z.string(), z.number()),
  perDay: z.array(z.object({ day: z.string(), letters: z.number() })).describe('Letters per UTC day of arrival, oldest first.'),
  campaignShare: z.number().describe('Share (0..1) of the letters that belong to a campaign.'),
  topCampaigns: z.array(z.object({ id: z.string(), letters: z.number() })),
});

export function insightRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/articles/:id/insights',
      tag: 'articles',
      summary: 'What readers think of an article: letters over time, by status, campaign share and the largest campaigns.',
      access: ['admin', 'editor', 'viewer'],
      params: z.strictObject({ id: z.string().min(1).max(200) }),
      responses: { 200: { description: 'The figures.', schema: insightsOutput }, 404: { description: 'No such article.', schema: errorBody } },
      handler: async ({ params }) => {
        const article = await findArticleById(ctx.db, params.id);
        if (!article) throw new HttpError(404, 'not_found', 'No such article.');
        const f = await articleInsights(ctx.db, article.id);
        const inCampaigns = f.campaigns.reduce((a, c) => a + c.letters, 0);
        return {
          article: { id: article.id, title: article.title },
          letters: f.total,
          byStatus: f.byStatus,
          perDay: f.perDay,
          campaignShare: f.total ? Math.round((inCampaigns / f.total) * 1000) / 1000 : 0,
          topCampaigns: f.campaigns.slice(0, TOP_CAMPAIGNS).map((c) => ({ id: c.campaignId, letters: c.letters })),
        };
      },
    },
  ];
}
