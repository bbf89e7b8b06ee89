// Which article the letter is about. A letter that came with one (the form,
// or an editor's choice) keeps it; any other is matched by its links, the
// headline in its subject or text, or similarity to recent articles, and
// below the threshold stays unmatched with the likeliest candidates kept.
import { DEFAULT_MATCH_THRESHOLD, matchArticle } from '../../matching/match.ts';
import type { IndexedArticle } from '../../matching/article-index.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const articlePhase: ScreeningPhase = {
  name: 'article',
  async run(ctx) {
    if (!ctx.read.articles) return;
    const { index } = await ctx.read.articles();
    const { letter } = ctx;
    if (letter.articleId) {
      return { article: { id: letter.articleId, method: null, confidence: 1, publishedAt: publishedAt(index.get(letter.articleId)), candidates: [], matched: false } };
    }
    const m = matchArticle(
      index,
      { subject: letter.subject, body: letter.text, receivedAt: letter.writtenAt ?? letter.receivedAt },
      { threshold: ctx.settings.matchThreshold ?? DEFAULT_MATCH_THRESHOLD },
    );
    return {
      article: {
        id: m.articleId,
        method: m.method,
        confidence: m.confidence,
        publishedAt: publishedAt(m.articleId ? index.get(m.articleId) : undefined),
        candidates: m.candidates.map((c) => ({ ...c, title: index.get(c.articleId)?.title })),
        matched: m.articleId !== null,
      },
    };
  },
};

function publishedAt(article: IndexedArticle | undefined): Date | null {
  return article?.publishedMs != null ? new Date(article.publishedMs) : null;
}
