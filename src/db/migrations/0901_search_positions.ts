// The queue's search at a million letters (issue 17): on SQLite each
// full-text entry takes its letter's rowid, so that a search can check a
// window of the newest letters by position instead of collecting every
// letter with a common word (and an entry is found again without reading
// the whole index: letter_id is not an indexed column). PostgreSQL keeps
// the vector in the letter's row and needs nothing.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await dialect.linkLetterSearch(db);
}
