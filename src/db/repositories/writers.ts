// Writers: the people behind letters, one row per address (case-insensitive).
import { uuidv7 } from '../../util/random.ts';
import type { Insertable, Selectable } from 'kysely';
import type { WriterTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';
import { inChunks } from '../chunks.ts';

export type Writer = {
  id: string;
  email: string;
  name: string;
  town: string | null;
  phone: string | null;
  postalAddress: string | null;
  verifiedAt: Date | null;
  verifiedBy: string | null;
  verifiedHow: string | null;
  createdAt: Date;
};

export function toWriter(db: Db, r: Selectable<WriterTable>): Writer {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    town: r.town,
    phone: r.phone,
    postalAddress: r.postal_address,
    verifiedAt: db.dialect.readTimeOrNull(r.verified_at),
    verifiedBy: r.verified_by,
    verifiedHow: r.verified_how,
    createdAt: db.dialect.readTime(r.created_at),
  };
}

export type WriterInput = { email: string; emailKey: string; variantKey: string; name: string; town: string | null };

/**
 * The writers of these addresses, in order, created on first sight; name and
 * town follow the latest letter (a letter without a town keeps the one
 * known). Returns each address key's writer id. One read for all, one insert
 * for the new ones (a few statements), one update per changed writer.
 */
export async function upsertWriters(db: Db, ex: Trx, inputs: WriterInput[]): Promise<Map<string, string>> {
  const now = db.dialect.time(new Date());
  // What each writer becomes, the inputs applied in order; in the order of
  // their keys, so that batches committing side by side mostly take the
  // writers' locks in one order (PostgreSQL ends a wait in a circle after a
  // second by failing one of them, whose batch then runs again).
  const latest = new Map<string, WriterInput>();
  for (const w of inputs) {
    const before = latest.get(w.emailKey);
    latest.set(w.emailKey, before ? { ...before, name: w.name, town: w.town ?? before.town } : w);
  }
  const wanted = [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ids = new Map<string, string>();
  const known = await writersByKey(ex, wanted.map(([key]) => key));
  const fresh = wanted.filter(([key]) => !known.has(key));
  // A writer another transaction created since the read (PostgreSQL waits
  // for it to commit) is taken as known, not refused as a duplicate.
  const created = new Set<string>();
  for (let at = 0; at < fresh.length; at += 200) {
    const rows = fresh.slice(at, at + 200).map(([key, w]): Insertable<WriterTable> => {
      const id = uuidv7();
      ids.set(key, id);
      return { id, email: w.email, email_key: key, variant_key: w.variantKey, name: w.name, town: w.town, phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: now, updated_at: now };
    });
    const inserted = await ex.insertInto('writers').values(rows).onConflict((oc) => oc.column('email_key').doNothing()).returning('email_key').execute();
    for (const r of inserted) created.add(r.email_key);
  }
  const raced = fresh.filter(([key]) => !created.has(key)).map(([key]) => key);
  for (const [key, row] of await writersByKey(ex, raced)) known.set(key, row);
  for (const [key, w] of wanted) {
    const row = known.get(key);
    if (!row || created.has(key)) continue;
    ids.set(key, row.id);
    const town = w.town ?? row.town;
    if (row.name !== w.name || row.town !== town) await ex.updateTable('writers').set({ name: w.name, town, updated_at: now }).where('id', '=', row.id).execute();
  }
  return ids;
}

async function writersByKey(ex: Trx, keys: string[]): Promise<Map<string, Selectable<WriterTable>>> {
  const found = new Map<string, Selectable<WriterTable>>();
  await inChunks(keys, async (chunk) => {
    for (const r of await ex.selectFrom('writers').selectAll().where('email_key', 'in', chunk).execute()) found.set(r.email_key, r);
  });
  return found;
}

export async function findWriterById(db: Db, id: string, ex: Reader = db.read): Promise<Writer | null> {
  const row = await ex.selectFrom('writers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toWriter(db, row) : null;
}

/** Letters by any address variant of this writer since a time (for rate limits and policy flags). */
/** How many letters a writer (any address variant) sent since a time, and when the first of them came (when the count next falls). */
export async function countLettersByVariantSince(db: Db, variantKey: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
  const r = await db.read
    .selectFrom('letters')
    .innerJoin('writers', 'writers.id', 'letters.writer_id')
    .select((e) => [e.fn.countAll().as('n'), e.fn.min('letters.created_at').as('oldest')])
    .where('writers.variant_key', '=', variantKey)
    .where('letters.created_at', '>=', db.dialect.time(since))
    .executeTakeFirstOrThrow();
  return { count: db.dialect.readInt(r.n), oldest: db.dialect.readTimeOrNull(r.oldest) };
}

export async function findWritersByIds(db: Db, ids: string[]): Promise<Map<string, Writer>> {
  if (ids.length === 0) return new Map();
  const rows = await db.read.selectFrom('writers').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, toWriter(db, r)]));
}
