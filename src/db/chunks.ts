// Reads that ask about many ids go a chunk at a time: a statement with
// thousands of bound values runs into SQLite's limit on them (32,766) and
// makes PostgreSQL plan a huge IN list.
const IDS_PER_STATEMENT = 500;

/** Runs `read` over `ids` a chunk of at most 500 at a time, in order. */
export async function inChunks<T>(ids: readonly T[], read: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) await read(ids.slice(i, i + IDS_PER_STATEMENT));
}
