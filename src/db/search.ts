// Full-text search over letters: SQLite's FTS5 table or PostgreSQL's tsvector.
// Callers hand in the text to index and the user's query; this module is the
// only place that knows how each dialect does it.
import { CompiledQuery, sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from './executor.ts';
import type { Dialect } from './mapping.ts';
import { atBatchEnd } from './batch.ts';

/** Indexes a letter's text; `fresh` skips removing an earlier entry (a letter just inserted has none). */
export async function indexLetterText(ex: Executor, dialect: Dialect, letterId: string, text: string, fresh = false): Promise<void> {
  if (dialect === 'postgres') {
    await sql`update letters set search_vector = ${searchVector(text)} where id = ${letterId}`.execute(ex);
  } else {
    // At the end of a group commit's batch: FTS5 keeps new entries in memory
    // until a commit or a savepoint, and writing them out per letter (every
    // savepoint, and every statement that opens one) cost more than the rest
    // of a letter's inserts.
    await atBatchEnd(ex, async (trx) => {
      if (!fresh) await trx.executeQuery(CompiledQuery.raw('delete from letters_fts where letter_id = ?', [letterId]));
      await trx.executeQuery(CompiledQuery.raw('insert into letters_fts (letter_id, text) values (?, ?)', [letterId, text]));
    });
  }
}

/** PostgreSQL: the tsvector expression for a letter's text, to store with the row. */
export function searchVector(text: string) {
  return sql`to_tsvector('simple', ${text})`;
}

export async function removeLetterText(ex: Executor, dialect: Dialect, letterId: string): Promise<void> {
  if (dialect === 'sqlite') await sql`delete from letters_fts where letter_id = ${letterId}`.execute(ex);
}

/** Words of the user's query, each matched as a word prefix; operators are not exposed. */
export function queryWords(q: string): string[] {
  return (q.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/** A condition on `letters.id` for a search query, or null when it has no words. */
export function letterMatches(dialect: Dialect, q: string): Expression<SqlBool> | null {
  const words = queryWords(q);
  if (words.length === 0) return null;
  if (dialect === 'postgres') {
    const tsq = words.map((w) => `${w}:*`).join(' & ');
    return sql<SqlBool>`letters.search_vector @@ to_tsquery('simple', ${tsq})`;
  }
  const match = words.map((w) => `"${w}"*`).join(' ');
  return sql<SqlBool>`letters.id in (select letter_id from letters_fts where letters_fts match ${match})`;
}
