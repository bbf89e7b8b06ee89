// Outgoing mail as admins see it in the outbox.
import type { OutgoingMail } from '../../../db/repositories/outbox.ts';

/** What each kind of mail is, in the desk's words. */
const MAIL_KINDS: Record<string, string> = {
  acknowledgement: 'Acknowledgement to the writer',
  decline: 'Reply to a declined letter',
  declined: 'Letter declined',
  not_chosen: 'Letter not chosen',
  published: 'Letter published',
  approval_request: 'Edit sent for the writer’s approval',
  author_invitation: 'Invitation to the article’s author',
  team: 'Team invitation or sign-in link',
  weekly_report: 'Weekly letters report to the team',
};

export function mailKindLabel(kind: string): string {
  return MAIL_KINDS[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function presentMail(m: OutgoingMail) {
  return {
    id: m.id,
    letterId: m.letterId,
    kind: m.kind,
    kindLabel: mailKindLabel(m.kind),
    to: m.to,
    subject: m.subject,
    text: m.text,
    headers: { 'Message-ID': m.messageId, ...m.headers },
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    sentAt: m.sentAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}

/** The shape the desk's outbox reads (web/src imports this type). */
export type MailView = ReturnType<typeof presentMail>;
