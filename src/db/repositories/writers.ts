// Writers: the people behind letters, one row per address (case-insensitive).
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { WriterTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import type { Reader, Trx } from '../executor.ts';
import { compiledQuery } from '../compiled-query.ts';

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

const byEmailKey = compiledQuery((k, key: string) => k.selectFrom('writers').selectAll().where('email_key', '=', key), 1);

/** The writer with this address, created on first sight; name and town follow the latest letter. */
export async function upsertWriter(db: Db, w: WriterInput, ex: Trx): Promise<Writer> {
  const now = db.dialect.time(new Date());
  const [existing] = await byEmailKey(db, ex, w.emailKey);
  if (existing) {
    if (existing.name !== w.name || (w.town && existing.town !== w.town)) {
      await ex.updateTable('writers').set({ name: w.name, town: w.town ?? existing.town, updated_at: now }).where('id', '=', existing.id).execute();
      return toWriter(db, { ...existing, name: w.name, town: w.town ?? existing.town });
    }
    return toWriter(db, existing);
  }
  const row = {
    id: uuidv7(),
    email: w.email,
    email_key: w.emailKey,
    variant_key: w.variantKey,
    name: w.name,
    town: w.town,
    phone: null,
    postal_address: null,
    verified_at: null,
    verified_by: null,
    verified_how: null,
    erased_at: null,
    created_at: now,
    updated_at: now,
  };
  await insertRows(db, ex, 'writers', [row]);
  return toWriter(db, row);
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
