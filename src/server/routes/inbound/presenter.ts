// Received messages as the API shows them (never the raw bytes; those are a download).
import type { InboundMessage } from '../../../db/repositories/inbound.ts';
import type { ReceiveResult } from '../../../inbound/index.ts';

/** What a provider hears when a message is stored. */
export function presentReceived(r: ReceiveResult) {
  return { id: r.id, kind: r.kind, letterId: r.letterId, status: r.status, duplicate: r.duplicate, reason: r.reason };
}

export function presentInbound(m: InboundMessage) {
  return {
    id: m.id,
    source: m.source,
    receivedAt: m.receivedAt.toISOString(),
    envelope: { mailFrom: m.mailFrom, rcptTo: m.rcptTo },
    messageId: m.messageId,
    from: { name: m.fromName, address: m.fromAddress },
    subject: m.subject,
    kind: m.kind,
    status: m.status,
    reason: m.reason,
    quarantineReason: m.quarantineReason,
    auth: m.auth,
    spamScore: m.spamScore,
    size: m.size,
    sha256: m.sha256,
    attachments: m.attachments.map((a, n) => ({ ...a, n, url: `/api/v1/inbound/${m.id}/attachments/${n}` })),
    rawUrl: `/api/v1/inbound/${m.id}/raw`,
    letterId: m.letterId,
    warnings: m.warnings,
    history: m.history,
    processedAt: m.processedAt ? m.processedAt.toISOString() : null,
  };
}

/** Headers shown at most (a hostile message may carry thousands); each value cut to 2,000 characters. */
const HEADERS_SHOWN = 200;

/** A tray item opened: the record, the readable text and the headers (or why the mail could not be read). */
export function presentInboundMessage(m: InboundMessage, content: { text: string; textFromHtml: boolean; headers: Array<[string, string]> } | { unreadable: string }) {
  return {
    ...presentInbound(m),
    ...('unreadable' in content
      ? { text: null, textFromHtml: false, headers: [], unreadable: content.unreadable }
      : {
          text: content.text,
          textFromHtml: content.textFromHtml,
          headers: content.headers.slice(0, HEADERS_SHOWN).map(([name, value]) => ({ name, value: value.slice(0, 2000) })),
          unreadable: null,
        }),
  };
}

/** The shapes the desk reads (web/src imports these types). */
export type InboundView = ReturnType<typeof presentInbound>;
export type InboundMessageView = ReturnType<typeof presentInboundMessage>;
