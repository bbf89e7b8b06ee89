// Mail providers' inbound webhooks, turned back into a raw MIME message so
// that they end in the same receiveMail as SMTP. When the provider sends the
// raw message (Postmark's RawEmail, Mailgun's body-mime) it is used as is;
// otherwise the message is rebuilt from the parsed fields with the original
// headers (Message-ID, threading, Auto-Submitted, List-Id …), so
// classification and de-duplication see what SMTP would have seen. A rebuilt
// message gets a deterministic Message-ID when it has none, so a provider's
// retry is recognised.
import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Envelope } from './understand.ts';

export type ProviderMail = { raw: Buffer; envelope: Envelope };

/** Headers the composer writes itself from the body and attachments. */
const STRUCTURAL = new Set(['content-type', 'content-transfer-encoding', 'mime-version', 'content-disposition', 'content-id']);
/** Headers the composer takes as options. */
const ADDRESSING = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'date', 'in-reply-to', 'references', 'reply-to', 'sender']);

type Attachment = { filename: string; content: Buffer; contentType: string };

async function compose(headers: [string, string][], body: { text?: string; html?: string; attachments?: Attachment[] }, fallbackId: string): Promise<Buffer> {
  const get = (name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1];
  const custom = headers
    .filter(([k]) => !STRUCTURAL.has(k.toLowerCase()) && !ADDRESSING.has(k.toLowerCase()))
    .map(([key, value]) => ({ key, value: String(value).replace(/[\r\n]+/g, ' ') }));
  const composer = new MailComposer({
    from: get('from'),
    to: get('to'),
    cc: get('cc'),
    replyTo: get('reply-to'),
    subject: get('subject') ?? '',
    messageId: get('message-id') ?? fallbackId,
    date: get('date') ?? new Date(0).toUTCString(),
    inReplyTo: get('in-reply-to'),
    references: get('references'),
    text: body.text,
    html: body.html,
    attachments: (body.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    headers: custom,
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'windows',
  });
  return new Promise((resolve, reject) => composer.compile().build((err: Error | null, msg: Buffer) => (err ? reject(err) : resolve(msg))));
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function digestId(provider: string, parts: unknown[]): string {
  return `<${provider}.${crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}@inbound.letterdesk.invalid>`;
}

export class AdapterError extends Error {}

/** Postmark's inbound webhook JSON (https://postmarkapp.com/developer/webhooks/inbound-webhook). */
export async function fromPostmark(p: any): Promise<ProviderMail> {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new AdapterError('expected a Postmark inbound JSON object');
  const fromAddress = str(p.FromFull?.Email) || str(p.From);
  const rcpt = str(p.OriginalRecipient) || (Array.isArray(p.ToFull) ? p.ToFull.map((t: any) => str(t?.Email)).filter(Boolean).join(',') : str(p.To));
  const envelope: Envelope = { mailFrom: fromAddress || null, rcptTo: rcpt.split(',').map((s: string) => s.trim()).filter(Boolean) };
  if (str(p.RawEmail)) return { raw: Buffer.from(p.RawEmail, 'utf8'), envelope };

  const headers: [string, string][] = Array.isArray(p.Headers) ? p.Headers.filter((h: any) => h && typeof h.Name === 'string').map((h: any) => [h.Name, str(h.Value)]) : [];
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  const fromName = str(p.FromFull?.Name) || str(p.FromName);
  if (!has('from') && fromAddress) headers.push(['From', fromName ? `"${fromName.replace(/["\\]/g, '')}" <${fromAddress}>` : fromAddress]);
  if (!has('to') && str(p.To)) headers.push(['To', str(p.To)]);
  if (!has('cc') && str(p.Cc)) headers.push(['Cc', str(p.Cc)]);
  if (!has('subject')) headers.push(['Subject', str(p.Subject)]);
  if (!has('date') && str(p.Date)) headers.push(['Date', str(p.Date)]);
  if (!has('reply-to') && str(p.ReplyTo)) headers.push(['Reply-To', str(p.ReplyTo)]);
  const attachments: Attachment[] = Array.isArray(p.Attachments)
    ? p.Attachments.map((a: any, i: number) => ({ filename: str(a?.Name) || `attachment-${i + 1}`, content: Buffer.from(str(a?.Content), 'base64'), contentType: str(a?.ContentType) || 'application/octet-stream' }))
    : [];
  const raw = await compose(headers, { text: str(p.TextBody) || undefined, html: str(p.HtmlBody) || undefined, attachments }, str(p.MessageID) ? `<postmark.${str(p.MessageID).replace(/[^\w.-]/g, '')}@inbound.postmarkapp.com>` : digestId('postmark', [fromAddress, p.Subject, p.Date, p.TextBody]));
  return { raw, envelope };
}

/**
 * Mailgun's forward() / store(notify=…) POST: form fields (urlencoded, or
 * multipart with attachment-1…n), with `body-mime` when the route URL ends in
 * "mime" (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http).
 */
export async function fromMailgun(fields: Record<string, string>, files: Attachment[] = []): Promise<ProviderMail> {
  const envelope: Envelope = {
    mailFrom: str(fields.sender) || null,
    rcptTo: str(fields.recipient).split(',').map((s) => s.trim()).filter(Boolean),
  };
  if (str(fields['body-mime'])) return { raw: Buffer.from(fields['body-mime'], 'utf8'), envelope };
  if (!str(fields.from) && !str(fields.sender)) throw new AdapterError('expected Mailgun fields: from or sender, and body-plain or body-mime');
  let headers: [string, string][] = [];
  try {
    const parsed = JSON.parse(str(fields['message-headers']) || '[]');
    if (Array.isArray(parsed)) headers = parsed.filter((h) => Array.isArray(h) && typeof h[0] === 'string').map((h) => [h[0], String(h[1] ?? '')]);
  } catch {
    throw new AdapterError('message-headers is not valid JSON');
  }
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  if (!has('from')) headers.push(['From', str(fields.from) || str(fields.sender)]);
  if (!has('to') && str(fields.To ?? fields.recipient)) headers.push(['To', str(fields.To ?? fields.recipient)]);
  if (!has('subject')) headers.push(['Subject', str(fields.subject)]);
  const raw = await compose(headers, { text: str(fields['body-plain']) || undefined, html: str(fields['body-html']) || undefined, attachments: files }, digestId('mailgun', [fields.sender, fields.from, fields.subject, fields.timestamp, fields['body-plain']]));
  return { raw, envelope };
}
