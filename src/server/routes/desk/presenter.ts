// What the desk's API answers: team members, invitations, tokens, settings,
// a letter's context and tray items, as the desk shows them.
import type { Article } from '../../../db/repositories/articles.ts';
import type { WriterLetter } from '../../../db/repositories/desk-queue.ts';
import type { InboundMessage } from '../../../db/repositories/inbound.ts';
import type { Publication } from '../../../db/repositories/publication.ts';
import type { ApiToken } from '../../../db/repositories/tokens.ts';
import type { User, UserLink } from '../../../db/repositories/users.ts';
import type { Writer } from '../../../db/repositories/writers.ts';
import type { Presence } from '../../../db/repositories/presence.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSessionUser(u: Pick<User, 'id' | 'email' | 'name' | 'role'>) {
  return { id: u.id, email: u.email, name: u.name, role: u.role };
}

export function presentUser(u: User) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, disabled: u.disabledAt !== null, locked: (u.lockedUntil?.getTime() ?? 0) > Date.now(), createdAt: u.createdAt.toISOString() };
}

export function presentInvitation(l: UserLink) {
  return { id: l.id, email: l.email, role: l.role, expiresAt: l.expiresAt.toISOString() };
}

export function presentToken(t: ApiToken) {
  return { id: t.id, name: t.name, role: t.role, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) };
}

export function presentSettings(pub: Publication) {
  return { name: pub.name, lettersAddress: pub.lettersAddress, policies: pub.policies };
}

/** What the desk shows beside a letter: the article, the writer's details and verification, their earlier letters. */
export function presentLetterContext(letterId: string, article: Article | null, writer: Writer | null, letters: WriterLetter[], raw: string | null) {
  return {
    article: article ? { id: article.id, title: article.title, url: article.url, publishedAt: iso(article.publishedAt ?? null) } : null,
    writer: writer && {
      id: writer.id,
      email: writer.email,
      name: writer.name,
      town: writer.town,
      phone: writer.phone,
      postalAddress: writer.postalAddress,
      verifiedAt: iso(writer.verifiedAt),
      verifiedBy: writer.verifiedBy,
      verifiedHow: writer.verifiedHow,
    },
    earlierLetters: letters
      .filter((l) => l.id !== letterId)
      .map((l) => ({ id: l.id, status: l.status, article: l.articleTitle, subject: l.subject, createdAt: l.createdAt.toISOString(), publishedAt: iso(l.publishedAt) })),
    raw,
  };
}

export function presentTrayItem(m: InboundMessage) {
  return {
    id: m.id,
    kind: m.status === 'quarantined' ? 'quarantined' : (m.kind ?? 'unknown'),
    reason: m.quarantineReason ?? m.reason,
    from: m.fromName ? `${m.fromName} <${m.fromAddress ?? ''}>` : (m.fromAddress ?? m.mailFrom ?? ''),
    subject: m.subject ?? '',
    receivedAt: m.receivedAt.toISOString(),
    rawUrl: `/api/v1/inbound/${m.id}/raw`,
  };
}

export function presentPresence(p: Presence) {
  return { userId: p.userId, name: p.name, editing: p.editing, seenAt: p.seenAt.toISOString() };
}

/** A team member as any colleague sees them (the editor picker): no account details. */
export function presentColleague(u: User) {
  return { id: u.id, name: u.name, email: u.email, role: u.role };
}

/** The shapes the desk reads (web/src imports these types; one source). */
export type SessionUserView = ReturnType<typeof presentSessionUser>;
export type UserView = ReturnType<typeof presentUser>;
export type InvitationView = ReturnType<typeof presentInvitation>;
export type TokenView = ReturnType<typeof presentToken>;
export type SettingsView = ReturnType<typeof presentSettings>;
export type LetterContextView = ReturnType<typeof presentLetterContext>;
export type TrayItemView = ReturnType<typeof presentTrayItem>;
export type ColleagueView = ReturnType<typeof presentColleague>;
