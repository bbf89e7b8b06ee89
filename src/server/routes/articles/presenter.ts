// Articles as the API shows them (what readers think of one: src/insights-store/view.ts).
import type { Article } from '../../../db/repositories/articles.ts';

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
