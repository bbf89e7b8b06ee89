// API tokens. Only a hash is stored; the token itself is shown once.
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { ApiTokenTable } from '../schema.ts';
import type { Db } from '../connect.ts';

export type ApiToken = { id: string; name: string; role: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

function toToken(db: Db, r: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    createdAt: db.dialect.readTime(r.created_at),
    lastUsedAt: db.dialect.readTimeOrNull(r.last_used_at),
    revokedAt: db.dialect.readTimeOrNull(r.revoked_at),
  };
}

export async function insertToken(db: Db, t: { name: string; role: string; tokenHash: string }): Promise<ApiToken> {
  const row = { id: uuidv7(), name: t.name, role: t.role, token_hash: t.tokenHash, created_at: db.dialect.time(new Date()), last_used_at: null, revoked_at: null };
  await db.writes.run((trx) => trx.insertInto('api_tokens').values(row).execute());
  return toToken(db, row);
}

export async function findActiveTokenByHash(db: Db, hash: string): Promise<ApiToken | null> {
  const row = await db.read.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
  return row ? toToken(db, row) : null;
}

export async function touchToken(db: Db, id: string): Promise<void> {
  await db.writes.run((trx) => trx.updateTable('api_tokens').set({ last_used_at: db.dialect.time(new Date()) }).where('id', '=', id).execute());
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db.read.selectFrom('api_tokens').selectAll().orderBy('id').execute();
  return rows.map((r) => toToken(db, r));
}

export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const r = await db.writes.run((trx) => trx.updateTable('api_tokens').set({ revoked_at: db.dialect.time(new Date()) }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst());
  return Number(r.numUpdatedRows) > 0;
}
