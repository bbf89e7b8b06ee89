// Keyset paging for the API's lists: a list asks the database for one row
// more than the page holds; that extra row says whether another page follows,
// and the page's last id is where it starts (the `cursor` query parameter).

/** `rows` as fetched with `limit + 1`: the page to show and the cursor of the next one, if any. */
export function keysetPage<T extends { id: string }>(rows: T[], limit: number): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}
