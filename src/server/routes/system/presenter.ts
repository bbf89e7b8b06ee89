// Outgoing mail as admins see it in the outbox.
import type { OutgoingMail } from '../../../db/repositories/outbox.ts';

export function presentMail(m: OutgoingMail) {
  return {
    id: m.id,
    letterId: m.letterId,
    kind: m.kind,
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
