// Signing in and the team's one-time links. Failed sign-ins are slowed (the
// answer waits longer after each failure) and, after LOCK_AFTER failures,
// the account is locked for LOCK_MINUTES; a successful sign-in resets both.
import type { AppContext } from '../context.ts';
import {
  countOpenLinks,
  countUsers,
  deleteSessionsOfUser,
  findUsableLink,
  findUserByEmail,
  findUserById,
  insertLink,
  insertSession,
  insertUser,
  updateUser,
  useLink,
  type DeskRole,
  type LinkKind,
  type Session,
  type User,
  type UserLink,
} from '../db/repositories/users.ts';
import { enqueueMail } from '../db/repositories/outbox.ts';
import { enqueueJob } from '../db/repositories/jobs.ts';
import { deskHeaders, letterMessageId } from '../outbox/compose.ts';
import { checkPassword, hashPassword, MIN_PASSWORD } from './passwords.ts';
import { hashSecret, newSecret } from './tokens.ts';

export const LOCK_AFTER = 10;
export const LOCK_MINUTES = 15;
export const SESSION_DAYS = 14;
const LINK_HOURS: Record<LinkKind, number> = { first_admin: 24 * 7, invitation: 24 * 7, reset: 2 };

/** Delay before answering a sign-in after `failures` earlier failures (ms). */
export function signInDelay(failures: number): number {
  return failures <= 2 ? 0 : Math.min(200 * 2 ** (failures - 3), 3000) * signInTiming.scale;
}
/** Tests shrink the waits (the curve is tested on its own). */
export const signInTiming = { scale: 1 };

export type SignInResult = { ok: true; user: User; token: string; session: Session } | { ok: false; reason: 'invalid' | 'locked'; retryAfter?: number };

export async function signIn(ctx: AppContext, email: string, password: string, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<SignInResult> {
  const { db } = ctx;
  const user = await findUserByEmail(db, email);
  if (user?.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
    return { ok: false, reason: 'locked', retryAfter: Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000) };
  }
  const ok = await checkPassword(user?.passwordHash ?? null, password);
  if (!ok || !user || user.disabledAt) {
    if (user) {
      const failures = user.failedSignins + 1;
      const lock = failures >= LOCK_AFTER ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null;
      await db.writes.run((trx) => updateUser(db, trx, user.id, { failedSignins: lock ? 0 : failures, lockedUntil: lock }));
      await sleep(signInDelay(failures));
      if (lock) return { ok: false, reason: 'locked', retryAfter: LOCK_MINUTES * 60 };
    }
    return { ok: false, reason: 'invalid' };
  }
  const { token, session } = await db.writes.run(async (trx) => {
    if (user.failedSignins || user.lockedUntil) await updateUser(db, trx, user.id, { failedSignins: 0, lockedUntil: null });
    return openSession(ctx, trx, user.id);
  });
  return { ok: true, user, token, session };
}

async function openSession(ctx: AppContext, trx: Parameters<typeof insertSession>[1], userId: string): Promise<{ token: string; session: Session }> {
  const token = newSecret();
  const session = await insertSession(ctx.db, trx, { tokenHash: hashSecret(token), csrfToken: newSecret(24), userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 86400_000) });
  return { token, session };
}

/** A one-time link; returns the URL with the token (only in the fragment, so it stays out of server logs). */
export async function createLink(
  ctx: AppContext,
  l: { kind: LinkKind; email?: string | null; role?: DeskRole | null; userId?: string | null; createdBy?: string | null },
  trx?: Parameters<typeof insertLink>[1],
): Promise<{ url: string; link: UserLink }> {
  const token = newSecret();
  const run = (ex: Parameters<typeof insertLink>[1]) =>
    insertLink(ctx.db, ex, {
      tokenHash: hashSecret(token),
      kind: l.kind,
      email: l.email ?? null,
      role: l.role ?? null,
      userId: l.userId ?? null,
      createdBy: l.createdBy ?? null,
      expiresAt: new Date(Date.now() + LINK_HOURS[l.kind] * 3600_000),
    });
  const link = trx ? await run(trx) : await ctx.db.writes.run(run);
  return { url: linkUrl(ctx, token), link };
}

export const linkUrl = (ctx: AppContext, token: string) => `${ctx.config.publicUrl}/desk/#/link/${token}`;

/** What a link is for (so the page can ask for the right fields), or null when it is used up or unknown. */
export async function describeLink(ctx: AppContext, token: string): Promise<{ kind: LinkKind; email: string | null; role: DeskRole | null } | null> {
  const link = await findUsableLink(ctx.db, hashSecret(token));
  if (!link) return null;
  if (link.kind === 'reset' && link.userId) {
    const user = await findUserById(ctx.db, link.userId);
    return { kind: 'reset', email: user?.email ?? null, role: user?.role ?? null };
  }
  return { kind: link.kind, email: link.email, role: link.role };
}

export type RedeemResult = { ok: true; user: User; token: string; session: Session } | { ok: false; status: 404 | 409 | 422; error: string; field?: string };

/** Uses a link: creates the first admin or the invited user, or sets a new password; then signs in. */
export async function redeemLink(ctx: AppContext, token: string, input: { email?: string; name?: string; password: string }): Promise<RedeemResult> {
  const { db } = ctx;
  if (input.password.length < MIN_PASSWORD) return { ok: false, status: 422, error: `at least ${MIN_PASSWORD} characters`, field: 'password' };
  const passwordHash = await hashPassword(input.password);
  return db.writes.run(async (trx) => {
    const link = await findUsableLink(db, hashSecret(token), trx);
    if (!link) return { ok: false, status: 404, error: 'This link has been used or has expired.' } as const;
    let user: User | null;
    if (link.kind === 'reset') {
      user = link.userId ? await findUserById(db, link.userId, trx) : null;
      if (!user) return { ok: false, status: 404, error: 'This link has been used or has expired.' } as const;
      await updateUser(db, trx, user.id, { passwordHash, failedSignins: 0, lockedUntil: null });
      await deleteSessionsOfUser(db, trx, user.id);
    } else {
      const email = (link.kind === 'invitation' ? link.email : input.email)?.trim() ?? '';
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) return { ok: false, status: 422, error: 'an email address is needed', field: 'email' } as const;
      if (await findUserByEmail(db, email, trx)) return { ok: false, status: 409, error: 'There is already an account with this address; sign in instead.', field: 'email' } as const;
      const name = input.name?.trim() || email.split('@')[0]!;
      user = await insertUser(db, trx, { email, name, role: link.kind === 'first_admin' ? 'admin' : (link.role ?? 'viewer'), passwordHash });
    }
    if (!(await useLink(db, trx, link.id))) return { ok: false, status: 404, error: 'This link has been used or has expired.' } as const;
    const { token: sessionToken, session } = await openSession(ctx, trx, user.id);
    return { ok: true, user, token: sessionToken, session } as const;
  });
}

/** Emails a reset link when the address belongs to an active user; says nothing either way. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.disabledAt) return;
  await ctx.db.writes.run(async (trx) => {
    const { url } = await createLink(ctx, { kind: 'reset', userId: user.id }, trx);
    await sendTeamMail(ctx, trx, user.email, user.name, `Reset your password for the ${ctx.publication.name} letters desk`, [
      `Hello ${user.name},`,
      '',
      'Someone (we hope you) asked to reset your password for the letters desk. Choose a new one here:',
      '',
      `  ${url}`,
      '',
      `The link works once, for ${LINK_HOURS.reset} hours. If you did not ask, ignore this message; your password stays as it is.`,
    ]);
  });
}

export async function inviteUser(ctx: AppContext, email: string, role: DeskRole, by: string): Promise<{ url: string; link: UserLink }> {
  return ctx.db.writes.run(async (trx) => {
    const out = await createLink(ctx, { kind: 'invitation', email: email.trim(), role, createdBy: by }, trx);
    await sendTeamMail(ctx, trx, email.trim(), null, `You are invited to the ${ctx.publication.name} letters desk`, [
      'Hello,',
      '',
      `You are invited to join the letters desk of ${ctx.publication.name} as ${role === 'viewer' ? 'a' : 'an'} ${role}. Choose your password here:`,
      '',
      `  ${out.url}`,
      '',
      `The link works once, for ${LINK_HOURS.invitation / 24} days.`,
    ]);
    return out;
  });
}

async function sendTeamMail(ctx: AppContext, trx: Parameters<typeof insertLink>[1], to: string, name: string | null, subject: string, lines: string[]) {
  const mailId = await enqueueMail(ctx.db, trx, {
    letterId: null,
    kind: 'team',
    to: { address: to, name },
    subject,
    text: [...lines, '', `— The letters desk, ${ctx.publication.name}`, '', 'This message was sent automatically.'].join('\n'),
    headers: deskHeaders({}),
    messageId: letterMessageId(null, ctx.publication.lettersAddress),
  });
  await enqueueJob(ctx.db, trx, 'deliver_mail', { mailId });
}

/** At a start with no team yet, a link that makes its user the first admin (a new one each start until used). */
export async function firstAdminLink(ctx: AppContext): Promise<string | null> {
  if ((await countUsers(ctx.db)) > 0) return null;
  void countOpenLinks;
  const { url } = await createLink(ctx, { kind: 'first_admin' });
  return url;
}
