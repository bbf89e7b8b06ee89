// PostgreSQL's search vectors leave the letters' rows for a table of their
// own (issue 17). Screening's verdict on each letter, and every editor's
// action, changes the letter's row; a change that finds no room on the
// row's page is written with a new entry in every index of the row, and the
// GIN index takes one per word of the letter. A hundred such changes took
// 29–47 ms with the vector in the row and 18 ms without (a table of 20,000
// bench letters, ten statements of a hundred each). The vectors change only
// with a letter's text. SQLite's index (FTS5) is a table of its own already.
// On a large desk this copies every vector and builds the index once: 3.8 s
// for 50,000 letters on a two-core machine, so minutes for a million
// (docs/deploy.md, Upgrades).
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await dialect.separateLetterSearch(db);
}
