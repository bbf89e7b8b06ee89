// Room on PostgreSQL's pages for rows' later versions (issue 17). Every
// letter is changed at least once after it is stored (screening's verdict),
// and every job when it is claimed. With full pages, 93% of letters' changes
// and 94% of jobs' under 500 letters a second were not HOT: each added an
// entry to every index (the letters have ten, the search index among them).
// A letter's row was about 1.9 KB (its texts compressed in the row), so the
// 15% kept free on a page held no second version of it: letters' rows keep
// their long texts beside them, in the TOAST, past 512 bytes. With both, a
// hundred verdicts were all HOT and took 15 ms against 21–32 (a fifth of the
// log written); reading 100 letters with their texts took about a tenth
// longer, and storing 64 no longer. Pages and rows written from now on
// follow this; those already there stay as they are. SQLite: nothing.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.ts';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await dialect.leaveRoomForChanges(db, 'letters', { freePercent: 15, rowBytes: 512 });
  await dialect.leaveRoomForChanges(db, 'jobs', { freePercent: 15 });
}
