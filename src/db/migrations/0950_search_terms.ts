// The queue's search at a million letters (issue 17): a word is searched as
// a prefix ("council" finds "councils"), and FTS5 answers a prefix by
// merging the whole list of every word that starts with it, every letter
// that has it, before it returns the first match (7 ms for a word in most
// letters at 300,000 letters, growing with them). The index's vocabulary,
// read through this table, names the longer words instead, so that the
// search asks for them by name and stops after a page. PostgreSQL: nothing.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await dialect.createSearchTerms(db);
}
