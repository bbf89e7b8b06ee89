// The articles registry API.
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import { findArticleById, listArticles } from '../../../db/repositories/articles.ts';
import { ArticleConflict, saveArticle } from '../../../articles/save.ts';
import { presentArticle } from './presenter.ts';
import { articleIdParams, articleInput, articleOutput, listArticlesQuery } from './schema.ts';
import { HttpError } from '../../errors.ts';
import type { RouteTable } from '../../route.ts';
import { errorBody, validationFailure } from '../../schema.ts';

export function articleRoutes(ctx: AppContext): RouteTable {
  return [
    {
      method: 'POST',
      url: '/api/v1/articles',
      tag: 'articles',
      summary: 'Create or update an article (by id, or by URL when no id is given).',
      access: ['admin', 'editor'],
      mutates: true,
      body: articleInput,
      responses: {
        201: { description: 'Created.', schema: articleOutput },
        200: { description: 'Updated.', schema: articleOutput },
        409: { description: 'The URL belongs to another article.', schema: errorBody },
        422: { description: 'A field needs attention.', schema: validationFailure },
      },
      handler: async ({ body, reply }) => {
        try {
          const { article, created } = await saveArticle(ctx.db, body);
          reply.code(created ? 201 : 200);
          return presentArticle(article);
        } catch (err) {
          if (err instanceof ArticleConflict) throw new HttpError(409, 'conflict', err.message);
          throw err;
        }
      },
    },
    {
      method: 'GET',
      url: '/api/v1/articles',
      tag: 'articles',
      summary: 'Articles, newest first.',
      access: ['admin', 'editor', 'viewer'],
      query: listArticlesQuery,
      responses: { 200: { description: 'A page of articles.', schema: z.object({ items: z.array(articleOutput) }) } },
      handler: async ({ query }) => ({ items: (await listArticles(ctx.db, query)).map(presentArticle) }),
    },
    {
      method: 'GET',
      url: '/api/v1/articles/:id',
      tag: 'articles',
      summary: 'One article.',
      access: ['admin', 'editor', 'viewer'],
      params: articleIdParams,
      responses: { 200: { description: 'The article.', schema: articleOutput }, 404: { description: 'No such article.', schema: errorBody } },
      handler: async ({ params }) => {
        const a = await findArticleById(ctx.db, params.id);
        if (!a) throw new HttpError(404, 'not_found', 'No such article.');
        return presentArticle(a);
      },
    },
  ];
}
