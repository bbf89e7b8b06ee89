// Writers: the people behind letters, one row per address (case-insensitive).
import { uuidv7 } from '../../util/random.ts';
import type { Insertable, Selectable } from 'kysely';
import type { WriterTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import { insertAllNow } from '../insert-rows.ts';
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
  // What each writer becomes, the inputs applied in order.
  const latest = new Map<string, WriterInput>();
  for (const w of inputs) {
    const before = latest.get(w.emailKey);
    latest.set(w.emailKey, before ? { ...before, name: w.name, town: w.town ?? before.town } : w);
  }
  const existing = new Map<string, Selectable<WriterTable>>();
  await inChunks([...latest.keys()], async (keys) => {
    for (const r of await ex.selectFrom('writers').selectAll().where('email_key', 'in', keys).execute()) existing.set(r.email_key, r);
  });
  const ids = new Map<string, string>();
  const fresh: Insertable<WriterTable>[] = [];
  // In the order of their keys: batches committing side by side then take
  // the writers' locks in one order, and never wait for each other in a circle.
  for (const [key, w] of [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const known = existing.get(key);
    if (!known) {
      const id = uuidv7();
      ids.set(key, id);
      fresh.push({ id, email: w.email, email_key: key, variant_key: w.variantKey, name: w.name, town: w.town, phone: null, postal_address: null, verified_at: null, verified_by: null, verified_how: null, erased_at: null, created_at: now, updated_at: now });
      continue;
    }
    ids.set(key, known.id);
    const town = w.town ?? known.town;
    if (known.name !== w.name || known.town !== town) await ex.updateTable('writers').set({ name: w.name, town, updated_at: now }).where('id', '=', known.id).execute();
  }
  await insertAllNow(db, ex, 'writers', fresh);
  return ids;
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
