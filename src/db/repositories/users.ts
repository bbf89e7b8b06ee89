// The team: users, their sessions and one-time links (first admin,
// invitations, password resets). Session tokens and link tokens are stored
// only as hashes; a stolen database copy does not sign anyone in.
import { uuidv7 } from '../../util/random.ts';
import type { Selectable } from 'kysely';
import type { UserTable, UserLinkTable } from '../schema.ts';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

export type DeskRole = 'admin' | 'editor' | 'viewer';
export type User = {
  id: string;
  email: string;
  name: string;
  role: DeskRole;
  passwordHash: string | null;
  failedSignins: number;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
};
export type Session = { id: string; userId: string; csrfToken: string; expiresAt: Date };
export type LinkKind = 'first_admin' | 'invitation' | 'reset';
export type UserLink = { id: string; kind: LinkKind; email: string | null; role: DeskRole | null; userId: string | null; createdBy: string | null; expiresAt: Date; usedAt: Date | null; createdAt: Date };

export const userEmailKey = (email: string) => email.trim().toLowerCase();

function toUser(db: Db, r: Selectable<UserTable>): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as DeskRole,
    passwordHash: r.password_hash,
    failedSignins: db.dialect.readInt(r.failed_signins),
    lockedUntil: db.dialect.readTimeOrNull(r.locked_until),
    disabledAt: db.dialect.readTimeOrNull(r.disabled_at),
    createdAt: db.dialect.readTime(r.created_at),
  };
}

function toLink(db: Db, r: Selectable<UserLinkTable>): UserLink {
  return {
    id: r.id,
    kind: r.kind as LinkKind,
    email: r.email,
    role: r.role as DeskRole | null,
    userId: r.user_id,
    createdBy: r.created_by,
    expiresAt: db.dialect.readTime(r.expires_at),
    usedAt: db.dialect.readTimeOrNull(r.used_at),
    createdAt: db.dialect.readTime(r.created_at),
  };
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db.read.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return db.dialect.readInt(r.n);
}

export async function insertUser(db: Db, ex: Trx, u: { email: string; name: string; role: DeskRole; passwordHash: string | null }): Promise<User> {
  const now = db.dialect.time(new Date());
  const row = { id: uuidv7(), email: u.email.trim(), email_key: userEmailKey(u.email), name: u.name, role: u.role, password_hash: u.passwordHash, failed_signins: 0, locked_until: null, disabled_at: null, created_at: now, updated_at: now };
  await ex.insertInto('users').values(row).execute();
  return toUser(db, row);
}

export async function findUserByEmail(db: Db, email: string, ex: Reader = db.read): Promise<User | null> {
  const r = await ex.selectFrom('users').selectAll().where('email_key', '=', userEmailKey(email)).executeTakeFirst();
  return r ? toUser(db, r) : null;
}

export async function findUserById(db: Db, id: string, ex: Reader = db.read): Promise<User | null> {
  const r = await ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(db, r) : null;
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.read.selectFrom('users').selectAll().orderBy('id').execute();
  return rows.map((r) => toUser(db, r));
}

export async function updateUser(
  db: Db,
  ex: Trx,
  id: string,
  c: Partial<{ name: string; role: DeskRole; passwordHash: string; failedSignins: number; lockedUntil: Date | null; disabledAt: Date | null }>,
): Promise<void> {
  const set: Record<string, unknown> = { updated_at: db.dialect.time(new Date()) };
  if (c.name !== undefined) set.name = c.name;
  if (c.role !== undefined) set.role = c.role;
  if (c.passwordHash !== undefined) set.password_hash = c.passwordHash;
  if (c.failedSignins !== undefined) set.failed_signins = c.failedSignins;
  if (c.lockedUntil !== undefined) set.locked_until = db.dialect.timeOrNull(c.lockedUntil);
  if (c.disabledAt !== undefined) set.disabled_at = db.dialect.timeOrNull(c.disabledAt);
  await ex.updateTable('users').set(set).where('id', '=', id).execute();
}

export async function insertSession(db: Db, ex: Trx, s: { tokenHash: string; csrfToken: string; userId: string; expiresAt: Date }): Promise<Session> {
  const id = uuidv7();
  await ex
    .insertInto('sessions')
    .values({ id, token_hash: s.tokenHash, csrf_token: s.csrfToken, user_id: s.userId, created_at: db.dialect.time(new Date()), expires_at: db.dialect.time(s.expiresAt) })
    .execute();
  return { id, userId: s.userId, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
}

/** A live session and its user (not disabled), or null. */
export async function findSessionByHash(db: Db, tokenHash: string): Promise<{ session: Session; user: User } | null> {
  const r = await db.read
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at as session_expires_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!r) return null;
  const expiresAt = db.dialect.readTime(r.session_expires_at);
  if (expiresAt.getTime() <= Date.now()) return null;
  const user = toUser(db, r);
  if (user.disabledAt) return null;
  return { session: { id: r.session_id, userId: user.id, csrfToken: r.csrf_token, expiresAt }, user };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.writes.run((trx) => trx.deleteFrom('sessions').where('id', '=', id).execute());
}

export async function deleteSessionsOfUser(db: Db, ex: Trx, userId: string): Promise<void> {
  await ex.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function insertLink(
  db: Db,
  ex: Trx,
  l: { tokenHash: string; kind: LinkKind; email: string | null; role: DeskRole | null; userId: string | null; createdBy: string | null; expiresAt: Date },
): Promise<UserLink> {
  const row = {
    id: uuidv7(),
    token_hash: l.tokenHash,
    kind: l.kind,
    email: l.email,
    role: l.role,
    user_id: l.userId,
    created_by: l.createdBy,
    expires_at: db.dialect.time(l.expiresAt),
    used_at: null,
    created_at: db.dialect.time(new Date()),
  };
  await ex.insertInto('user_links').values(row).execute();
  return toLink(db, row);
}

/** An unused, unexpired link by its token hash. */
export async function findUsableLink(db: Db, tokenHash: string, ex: Reader = db.read): Promise<UserLink | null> {
  const r = await ex.selectFrom('user_links').selectAll().where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  if (!r) return null;
  const link = toLink(db, r);
  return link.expiresAt.getTime() > Date.now() ? link : null;
}

/** Marks a link used; false when another request used it first. */
export async function useLink(db: Db, ex: Trx, id: string): Promise<boolean> {
  const r = await ex.updateTable('user_links').set({ used_at: db.dialect.time(new Date()) }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listOpenInvitations(db: Db): Promise<UserLink[]> {
  const rows = await db.read.selectFrom('user_links').selectAll().where('kind', '=', 'invitation').where('used_at', 'is', null).where('expires_at', '>', db.dialect.time(new Date())).orderBy('id').execute();
  return rows.map((r) => toLink(db, r));
}

export async function revokeLink(db: Db, id: string): Promise<boolean> {
  const r = await db.writes.run((trx) => trx.updateTable('user_links').set({ used_at: db.dialect.time(new Date()) }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst());
  return Number(r.numUpdatedRows) === 1;
}

/** Links of one kind still open (for the first-start printer: is there one already?). */
export async function countOpenLinks(db: Db, kind: LinkKind): Promise<number> {
  const r = await db.read.selectFrom('user_links').select((e) => e.fn.countAll().as('n')).where('kind', '=', kind).where('used_at', 'is', null).where('expires_at', '>', db.dialect.time(new Date())).executeTakeFirstOrThrow();
  return db.dialect.readInt(r.n);
}

/**
 * Removes a team member: their sessions (cascade), their open links, where
 * they had letters open. What they did stays in the letters' history, which
 * names them by label, not by row.
 */
export async function deleteUser(db: Db, ex: Trx, id: string): Promise<boolean> {
  await ex.deleteFrom('user_links').where('user_id', '=', id).execute();
  await ex.deleteFrom('letter_presence').where('user_id', '=', id).execute();
  const r = await ex.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
