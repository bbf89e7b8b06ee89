// An article's insights page is served from cache while its stamp holds
// (insights-store/view.ts). The stamp read when a letter was last placed from
// one row per article (article_insights.updated_at), which every placement
// updated: on PostgreSQL, placements committed in parallel queued on that
// row's lock (260 ms each under a burst of 500 letters a second, holding
// connections the event processors needed). The stamp now reads the latest
// placement from the letters' own insight rows, by this index, and nothing
// updates the article's row for a placement.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('letter_insights_changed').on('letter_insights').columns(['article_id', 'updated_at']).execute();
}
