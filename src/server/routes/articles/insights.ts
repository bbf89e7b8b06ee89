// What readers think of one article (issue 12): figures, voices, stance,
// the lines of argument with representatives and the fairness comparison
// (src/insights-store/view.ts); editors rename and merge themes and may ask
// for a re-grouping now rather than when the letters have grown by a fifth.
import type { AppContext } from '../../../context.ts';
import { findArticleById } from '../../../db/repositories/articles.ts';
import { groupArticle } from '../../../insights-store/regroup.ts';
import { mergeArticleThemes, renameArticleTheme, type ThemeChange } from '../../../insights-store/teach.ts';
import { articleInsightsJson, articleInsightsView } from '../../../insights-store/view.ts';
import { articleInsights } from '../../../db/repositories/insights.ts';
import { HttpError } from '../../errors.ts';
import { lettersChartSvg } from './chart.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody, validationFailure } from '../../schema.ts';
import { articleIdParams, groupingOutput, insightsOutput, mergeThemeBody, renameThemeBody, themeParams } from './schema.ts';

export function insightRoutes(ctx: AppContext): RouteTable {
  const article = async (id: string) => {
    const a = await findArticleById(ctx.db, id);
    if (!a) throw new HttpError(404, 'not_found', 'No such article.');
    return a;
  };
  const outcome = async (id: string, out: ThemeChange) => {
    if (!out.ok) throw new HttpError(out.status, out.status === 404 ? 'not_found' : out.status === 409 ? 'conflict' : 'invalid', out.error);
    return articleInsightsView(ctx.db, await article(id));
  };
  return [
    {
      method: 'GET',
      url: '/api/v1/articles/:id/insights',
      tag: 'articles',
      summary:
        'What readers think of an article: letters over time, by door and status, voices (a campaign counts once), estimated stance, the lines of argument with their stance split and representative letters, and how the published letters compare with those received.',
      access: ['admin', 'editor', 'viewer'],
      params: articleIdParams,
      responses: { 200: { description: 'The figures.', schema: insightsOutput }, 404: { description: 'No such article.', schema: errorBody } },
      handler: async ({ params, reply }) => reply.header('content-type', 'application/json; charset=utf-8').send(await articleInsightsJson(ctx.db, await article(params.id))),
    },
    {
      method: 'GET',
      url: '/api/v1/articles/:id/insights/chart.svg',
      tag: 'articles',
      summary: 'Letters per day about the article, stacked by door, as an SVG picture readable without colour (patterns, numbers, a title and a description in words).',
      access: ['admin', 'editor', 'viewer'],
      params: articleIdParams,
      responses: { 200: { description: 'The chart.', contentType: 'image/svg+xml' }, 404: { description: 'No such article.', schema: errorBody } },
      handler: async ({ params, reply }) => {
        const a = await article(params.id);
        const f = await articleInsights(ctx.db, a.id);
        return reply.header('content-type', 'image/svg+xml; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").header('cache-control', 'private, max-age=60').send(lettersChartSvg(a.title, f.perDayByDoor));
      },
    },
    {
      method: 'POST',
      url: '/api/v1/articles/:id/insights/group',
      tag: 'articles',
      summary: "Group the article's letters into lines of argument now (themes keep their ids and names), instead of when its letters have grown by a fifth.",
      access: ['admin', 'editor'],
      mutates: true,
      params: articleIdParams,
      responses: { 200: { description: 'Grouped.', schema: groupingOutput }, 404: { description: 'No such article.', schema: errorBody } },
      handler: async ({ params }) => {
        await article(params.id);
        return (await groupArticle(ctx, params.id))!;
      },
    },
    {
      method: 'POST',
      url: '/api/v1/articles/:id/themes/:themeId/rename',
      tag: 'articles',
      summary: 'Name a line of argument (the name is kept across re-groupings; letters filed under its old name follow).',
      access: ['admin', 'editor'],
      mutates: true,
      params: themeParams,
      body: renameThemeBody,
      responses: {
        200: { description: 'The insights after the change.', schema: insightsOutput },
        404: { description: 'No such article or theme.', schema: errorBody },
        409: { description: 'Another theme has that name.', schema: errorBody },
        422: { description: 'A field needs attention.', schema: validationFailure },
      },
      handler: async ({ params, body }) => outcome(params.id, await renameArticleTheme(ctx.db, params.id, params.themeId, body.name)),
    },
    {
      method: 'POST',
      url: '/api/v1/articles/:id/themes/:themeId/merge',
      tag: 'articles',
      summary: 'Merge a line of argument into another: its letters move there, and the kept theme keeps its id and name.',
      access: ['admin', 'editor'],
      mutates: true,
      params: themeParams,
      body: mergeThemeBody,
      responses: {
        200: { description: 'The insights after the change.', schema: insightsOutput },
        404: { description: 'No such article or theme.', schema: errorBody },
        422: { description: 'A field needs attention.', schema: validationFailure },
      },
      handler: async ({ params, body }) => outcome(params.id, await mergeArticleThemes(ctx.db, params.id, params.themeId, body.into)),
    },
  ];
}
