// Writers' one-time links: approve or refuse an edit, withdraw a letter, an
// author's reply. The token is random and only its hash is stored; each link
// names one letter and one purpose, expires, and is spent when used.
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { WriterLinkTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import { insertRows } from '../insert-rows.ts';
import { appendedNow } from '../batch.ts';
import type { Reader, Trx } from '../executor.ts';

export type LinkPurpose = 'approval' | 'withdraw' | 'author_reply' | 'consent';

export type WriterLink = {
  id: string;
  letterId: string;
  purpose: LinkPurpose;
  data: Record<string, unknown>;
  expiresAt: Date;
  usedAt: Date | null;
};

function toLink(db: Db, r: Selectable<WriterLinkTable>): WriterLink {
  return { id: r.id, letterId: r.letter_id, purpose: r.purpose as LinkPurpose, data: db.dialect.readJson(r.data, {}), expiresAt: db.dialect.readTime(r.expires_at), usedAt: db.dialect.readTimeOrNull(r.used_at) };
}

export async function insertLink(db: Db, ex: Trx, l: { letterId: string; purpose: LinkPurpose; tokenHash: string; expiresAt: Date; data?: Record<string, unknown> }): Promise<string> {
  const id = uuidv7();
  await insertRows(db, ex, 'writer_links', [
    { id, letter_id: l.letterId, purpose: l.purpose, token_hash: l.tokenHash, data: db.dialect.json(l.data ?? {}), expires_at: db.dialect.time(l.expiresAt), used_at: null, created_at: db.dialect.time(new Date()) },
  ]);
  return id;
}

export async function findLinkByHash(db: Db, hash: string, ex: Reader = db.read): Promise<WriterLink | null> {
  const r = await ex.selectFrom('writer_links').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  return r ? toLink(db, r) : null;
}

/** Spends a link; false when another request spent it first. */
export async function spendLink(db: Db, ex: Trx, id: string): Promise<boolean> {
  const r = await ex.updateTable('writer_links').set({ used_at: db.dialect.time(new Date()) }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Spends every open link of a purpose for a letter (a new approval request voids the old ones). */
export async function spendOpenLinks(db: Db, ex: Trx, letterId: string, purpose: LinkPurpose): Promise<void> {
  await appendedNow(ex, 'writer_links');
  await ex.updateTable('writer_links').set({ used_at: db.dialect.time(new Date()) }).where('letter_id', '=', letterId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

export async function linksForLetters(db: Db, letterIds: string[]): Promise<(WriterLink & { createdAt: Date })[]> {
  if (!letterIds.length) return [];
  const rows = await db.read.selectFrom('writer_links').selectAll().where('letter_id', 'in', letterIds).execute();
  return rows.map((r) => ({ ...toLink(db, r), createdAt: db.dialect.readTime(r.created_at) }));
}
