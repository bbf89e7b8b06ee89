// At start (and now and then after): the operator's feeds (ARTICLE_FEEDS)
// become feeds of origin `config`, and every feed whose poll job was lost
// gets a new one, so that no feed is left unpolled.
import type { AppContext } from '../context.ts';
import { ensureFeedPolls, syncConfiguredFeeds } from '../db/repositories/feeds.ts';

export async function prepareFeeds(ctx: AppContext): Promise<void> {
  const { added, removed } = await syncConfiguredFeeds(ctx.db, ctx.config.articleFeeds);
  if (added || removed) ctx.log.info({ added, removed }, 'article feeds from ARTICLE_FEEDS');
  await keepFeedsPolled(ctx);
}

export async function keepFeedsPolled(ctx: AppContext): Promise<void> {
  const queued = await ensureFeedPolls(ctx.db);
  if (queued) ctx.log.info({ queued }, 'article feed polls queued again');
}
