// What readers think about one article, first version: how many wrote and
// when, where their letters stand, and how much of it is campaigns (themes
// and representative letters come with the "what readers think" issue).
import type { AppContext } from '../../../context.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { articleInsights } from '../../../db/repositories/insights.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody } from '../../schema.ts';
import { presentInsights } from './presenter.ts';
import { articleIdParams, insightsOutput } from './schema.ts';

export function insightRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'GET',
      url: '/api/v1/articles/:id/insights',
      tag: 'articles',
      summary: 'What readers think of an article: letters over time, by status, campaign share and the largest campaigns.',
      access: ['admin', 'editor', 'viewer'],
      params: articleIdParams,
      responses: { 200: { description: 'The figures.', schema: insightsOutput }, 404: { description: 'No such article.', schema: errorBody } },
      handler: async ({ params }) => {
        const article = await findArticleById(ctx.db, params.id);
        if (!article) throw new HttpError(404, 'not_found', 'No such article.');
        return presentInsights(article, await articleInsights(ctx.db, article.id));
      },
    },
  ];
}
