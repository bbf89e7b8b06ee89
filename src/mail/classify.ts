// classify: letter | autoreply | bounce | list, with a reason a person can read.
//
// Mail systems report on mail in many dialects (sisimai, the bounce parser,
// knows some seventy). Rather than one rule per system, the classifier weighs
// kinds of evidence that every family shows in some combination:
//   - report structure: a multipart/report, a delivery-status or feedback part,
//     the DSN fields ("Final-Recipient:", "Status: 5.1.1") even when they arrive
//     as plain text, the returned message or its headers attached;
//   - headers: the sender (mailer-daemon, postmaster, "Mail Delivery System",
//     an empty From), an empty Return-Path, RFC 3834 and vendor auto-reply
//     headers, non-delivery-report headers, list headers;
//   - wording: subject templates of bounce and auto-reply software, MTA phrases
//     in the body, SMTP replies and enhanced status codes.
// Decisive evidence settles the kind alone; weaker evidence must add up to two
// points. Body wording alone never does: a reader may write about a parcel that
// "could not be delivered", so wording counts only beside a machine sign
// (addresses, hosts or SMTP codes in the text, a machine sender, an empty
// Return-Path, a bounce subject).
//
// Order matters: a bounce often also carries "Auto-Submitted: auto-replied" and
// a mailing-list bounce carries List-Id, so delivery failures are recognised
// first, then automatic replies, then list traffic. Everything else is a letter
// (the spam kind is decided by the screening scorer, not here); a letter whose
// text cannot be read at all says so in its reason, and the mail layer gives it
// no body, so it is kept in the tray and never answered.

import type { Classification, ParsedMessage } from './types.ts';

const REPORT_TYPES = new Set([
  'message/delivery-status', 'message/global-delivery-status', 'message/feedback-report',
  'message/disposition-notification', 'message/global-disposition-notification',
]);

// Local parts used by mail systems when they report on mail, not people
// (also inside a longer local part: opendmarc-postmaster, post_master).
const DAEMON_LOCAL =
  /^(mailer[-_.]?daemon|mail[-_.]?delivery([-_.]?(sub)?system)?|mail[-_.]?daemon|maildelivery|mdaemon|mailadmin|mmdf|mail[-_.]?router|double[-_.]?bounce|smtp[-_.]?gateway|returned[-_.]?mail|notifications?[-_.]?bounce|noreply[-_.]?dmarc[-_.]?support|bounce[-_.]?notification)(\+.*)?$|(^|[-_.])post[-_.]?master([-_.+]|$)/i;
// Display names of mail systems (in several languages).
const DAEMON_NAME =
  /\b(mail delivery (sub)?system|mail deliver system|mail[- ]?daemon|mailer[- ]daemon|postmaster|mail administrator|system administrator|delivery status notification|mail system|mail delivery service|post office|content[- ]filter at|interscan (mss|notification)|courier mail server|e-?mail gateway|mail ?gateway|mail ?scanner|e-?mail filter|servicio de entrega|sistema de entrega|e-?mail-?system|mailsystem|zustellsystem|système de messagerie)\b/i;
// Senders of abuse and authentication-failure reports (feedback loops, DMARC).
const FEEDBACK_LOCAL = /^(complaints?|feedback[-_.]?loop|fbl|feedback|arf|abuse[-_.]?reports?|dmarc([-_.][\w-]*)?|[\w.-]*[-_.]dmarc)(\+.*)?$/i;
const NOREPLY_LOCAL = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|noreply[-_.][\w.-]+|[\w.-]+[-_.]no[-_.]?reply)(\+.*)?$/i;
// Local parts of list software writing about a posting (FML, Mailman, Majordomo).
const LIST_MANAGER = /(-admin|-owner|-request|-bounces?)(\+.*)?@|^owner-/i;

// Subjects that bounce and report software writes verbatim and readers do not:
// decisive unless the writer forwards or answers them (Fwd:, Re:).
const MACHINE_SUBJECT = new RegExp(
  '^\\s*(' +
    [
      'undelivered mail returned to sender', 'delivery status notification( \\((failure|delay|success)\\))?\\s*$',
      'mail delivery failed(: returning message to sender)?', 'failure notice\\s*$', 'returned mail: ',
      'warning: could not send message', 'mail delivery failure', 'undeliverable( mail)?: ', 'non remis ?: ',
      'non_remis_', 'non recapitabile ?: ', 'onbestelbaar ?: ', 'não entregue ?: ', 'não_entregue', 'nicht zustellbar ?: ',
      'unzustellbar ?: ', 'no se puede entregar ?: ', 'delivery failure ?: ', 'delivery_failure ?: ',
      'message delivery has failed', 'delivery notification: ', 'notice: mail delivery status', 'warning: delayed mail',
      'mail system error - returned mail', 'sorry, your message could not be delivered', 'there was an error sending your mail',
      'permanent delivery failure', 'returned mail: see transcript', 'mail could not be delivered', 'delivery report\\s*(:|$)',
      'email feedback report for ip', 'abuse report\\s*$', 'complaint about message from', 'dmarc (forensic|failure) report',
      'report domain: .* submitter: ', 'loop alert: ', 'not member article from', 'undeliverable message\\s*$',
    ].join('|') +
    ')',
  'i',
);

// Bounce subjects in several languages (English, German, French, Spanish, Italian,
// Portuguese, Dutch, Scandinavian, Polish, Russian, Japanese, Chinese).
const BOUNCE_SUBJECT = new RegExp(
  [
    'undeliver(ed|able)', 'delivery (status notification|failure|failed|has failed|problem|report|notification)',
    'mail delivery (failed|failure|problem|error)', 'returned mail', 'returned to sender', 'failure notice',
    'could not (be )?deliver', 'message (not delivered|delivery failed|could not be delivered|undeliverable)',
    'non[- ]?delivery', 'delivery (delayed|notification)', 'warning: (could not send|delayed|message)', 'mail system error',
    'permanent (error|failure)', 'rejected:? ', 'not delivered', 'nondeliverable', 'bounced? (mail|message)',
    'unzustellbar', 'nicht zustellbar', 'zustellung fehlgeschlagen', 'unzustellbare', 'non remis', 'échec de (la )?remise',
    'echec de (la )?livraison', 'non distribuable', 'no se (puede|pudo) entregar', 'mensaje no entregado', 'devuelto',
    'non recapitabile', 'mancata consegna', 'não (foi )?entregue', 'falha na entrega', 'onbestelbaar',
    'kan niet worden bezorgd', 'ikke levert', 'kunde inte levereras', 'olevererbart', 'niedostarczon',
    'не доставлено', 'недоставлен', '配信不能', '未配達', 'エラー', '送信できませんでした', '退信', '投递失败', '系统退信',
    'mail could not be sent', 'failed delivery', 'failure delivery', 'delivery status', 'mail failure', 'error sending (your )?(message|mail)',
    'nicht ausgeliefert', 'retour de courrier', 'mail returned', 'unable to deliver', 'delivery unsuccessful',
    'abuse report', 'complaint about message', 'not (a )?member', 'not subscribed', 'posting (rejected|held)', 'feedback report',
    'spam report', 'email feedback', 'forensic report', 'failure report', 'message frozen', 'loop (alert|back warning)',
    'our bulk email filter', 'see transcript',
  ].join('|'),
  'i',
);

// Automatic-reply subjects in several languages. Phrases a letter's subject
// could use ("Absent fathers", "Holiday traffic") need the reply's own form
// (a colon, or the phrase being the whole subject).
const AUTOREPLY_SUBJECT = new RegExp(
  [
    'out of (the )?office\\b(?!\\s+(politics|culture|hours|space|work|life|romance|parties|party))', 'automatic reply',
    'auto(matic)?[- ]?(reply|response|antwort|svar|risposta|respuesta|réponse)', '^auto:', '^autosvar',
    'away from (the |my )?(office|desk)\\b.{0,20}$', "^(i am |i'm )?on (vacation|holiday|leave)\\b.{0,30}$",
    'vacation (reply|message|notice|auto)', 'holiday (notice|reply|auto)', '^abwesen', 'abwesenheitsnotiz', 'nicht im büro',
    'außer haus', 'automatische antwort', 'réponse automatique', '^absen(ce|t)\\s*(:|\\(|$)', '^absent du bureau', 'absent du bureau\\s*$',
    'hors du bureau', 'respuesta automática', 'fuera de la oficina', '^ausente\\s*(:|$)', 'risposta automatica', 'fuori sede\\s*$',
    'fuori ufficio', 'resposta automática', 'fora do escritório', 'automatisch antwoord', '^afwezig', 'frånvaro', 'fravær',
    'poza biurem', 'odpowiedź automatyczna', 'автоответ', 'нет на месте', '自動応答', '^不在', '自动回复', 'autoreply', 'auto-reply',
    'autoresponder', '^(i am|i\'m) (currently )?out of', 'thank you for (your|the) (e-?mail|message)[.!]?\\s*$',
    '^(\\[?ticket|case|request)\\b.{0,40}\\b(received|created|opened)\\b', 'we have received your (e-?mail|message)',
    '^(re: )?(your )?(e-?mail|message) (has been )?received\\s*$',
  ].join('|'),
  'i',
);

// Phrases of delivery-status texts written by MTAs (sendmail, Postfix, Exim,
// qmail, Exchange, Domino, Gmail, Yahoo, Courier, OpenSMTPD, …) and of abuse
// and authentication-failure reports.
const BOUNCE_BODY = new RegExp(
  [
    'could not be delivered', 'was not delivered', 'couldn\'t be delivered', 'wasn\'t delivered', 'delivery (to the following recipients? )?(has )?failed',
    'permanent(ly)? (fatal )?error', 'undeliverable', 'delivery status notification', 'diagnostic-code:',
    'final-recipient:', 'this is the mail system at host', 'this is the qmail-send program', 'this is the mailer-daemon',
    "i'm (sorry|afraid) (to have to inform you that )?(your message|i wasn't able)", 'returned mail: ',
    'message could not be delivered', 'unable to deliver', 'user unknown', 'unknown user', 'mailbox (unavailable|not found|full|does not exist|is full)',
    'no such (user|mailbox|recipient|domain)', 'recipient address rejected', 'address not found', 'delivery has failed',
    'the following addresses? had (permanent fatal errors|delivery problems)', 'host or domain name not found', 'action: failed',
    'status: 5\\.\\d', 'smtp error from remote', 'retry timeout exceeded', 'message delivery has been delayed',
    'mail delivery failed', 'delivery to the following recipient', 'feedback-type:',
    'created automatically by mail delivery software', 'transcript of (the )?(session|attempts)', 'original message (follows|headers)',
    'below is a copy of the original message', 'this is a copy of the message', 'the original message was received at',
    'your message (could not be sent|did not reach|to .{1,80} (was|has been) (rejected|blocked|undeliverable))',
    'did not reach the following recipient', 'message non-?deliverable', 'failed to send to', 'delivery (failure|report)',
    'could not deliver (the )?(message|mail)', 'is not a valid (mailbox|recipient)', 'quota exceeded', 'over quota',
    'email abuse report', 'authentication failure report', 'abuse report for an? (e-?mail )?message', 'dmarc policy',
    'generated (server|by)', 'diagnostic information for administrators', 'remote server returned',
    'requested action not taken', 'relay(ing)? (access )?denied', 'message (was )?rejected', 'rejected your message',
    'not listed in (domino directory|public name)', 'your message was (not delivered|rejected|undeliverable)',
    'delivery (attempts?|retries) (will continue|failed)', 'will not be retried', 'has been frozen', 'no action is required on your part',
    'not (a )?member of', 'mail could not be delivered', 'mail system error',
  ].join('|'),
  'i',
);

// The returned message quoted as text (no message/rfc822 part).
const RETURNED_INLINE = /^[ \t]*[-=_*]{2,}[ \t]*(original message|returned message|this is a copy of the message|message headers follow|original message follows|undelivered message|below is a copy)|^[ \t]*(original message follows|below is a copy of the original message|the original message was received at|original message headers:|included is a copy of the message header)/im;

// DSN and ARF fields (RFC 3464, RFC 5965) written as text.
const DSN_FIELD = /^(reporting-mta:\s*\w+;|final-recipient:\s*\w+;|original-recipient:\s*\w+;|remote-mta:\s*\w+;|diagnostic-code:\s*\w+;|action:\s*(failed|delayed|delivered|relayed|expanded)\s*$|status:\s*[245]\.\d{1,3}\.\d{1,3}\b|arrival-date:|last-attempt-date:|feedback-type:\s*\w+|user-agent:\s*.*\bfbl\b|auth-failure:|reported-domain:|source-ip:\s*[\d.:a-f]+\s*$)/gim;

// SMTP replies and transcripts: "550 5.1.1", "<<< 550 …", ">>> RCPT TO:", "host x[1.2.3.4] said:".
const SMTP_TRACE = /(\b[245]\d\d[ -]#?[245]\.\d{1,3}\.\d{1,3}\b|^[ \t]*(<<<|>>>)[ \t]+|\bsaid: [245]\d\d\b|\b(rcpt to|mail from):\s*<|\[(\d{1,3}\.){3}\d{1,3}\]|\bsmtp; ?[245]\d\d\b|\bremote host said\b)/im;

// Header names that only non-delivery reports carry (Exchange, SurfControl, MXLogic, …).
const NDR_HEADER = /(^|-)(ndr|dsn)(-|$)|^x-ms-embedded-report$|^x-mx-bounce$|-is-ndr$/i;

function header(msg: ParsedMessage, key: string): string {
  const v = msg.headersOfInterest[key];
  if (v !== undefined) return v.trim();
  for (const [k, value] of msg.headers) if (k === key) return value.trim();
  return '';
}

function hasHeader(msg: ParsedMessage, key: string): boolean {
  return msg.headersOfInterest[key] !== undefined || msg.headers.some(([k]) => k === key);
}

/** True when the Return-Path is the null sender "<>" (used by DSNs and RFC 3834 replies). */
export function isNullReturnPath(msg: ParsedMessage): boolean {
  return msg.returnPath !== null && /^<\s*>$/.test(msg.returnPath.trim());
}

/** "Re:", "Fwd:" … in front of a subject: a person answered or forwarded it. */
const HUMAN_PREFIX = /^\s*(re|fwd?|fw|aw|wg|sv|vs|tr|rv|res|enc|antw|odp|ynt)\s*(\[\d+\]|\(\d+\))?\s*:/i;

/**
 * True when the text is readable: it has letters, digits or symbols (an emoji
 * answer is readable), and little of it is replacement characters, control
 * characters or other undecodable noise.
 */
export function isReadableText(text: string): boolean {
  const sample = text.length > 20_000 ? text.slice(0, 20_000) : text;
  let content = 0;
  let noise = 0;
  let other = 0;
  for (const ch of sample) {
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c < 0xa0) || (c >= 0xe000 && c < 0xf900)) noise++;
    // ASCII (most text) without a regex: its letters and digits are its only \p{L}\p{N}\p{So}.
    else if (c < 0x80 ? (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) : /[\p{L}\p{N}\p{So}]/u.test(ch)) content++;
    else if (c < 0x80 ? c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d : !/\s/.test(ch)) other++;
  }
  if (content === 0) return false;
  const total = content + noise + other;
  // A few replacement characters in a short text (a wrong charset label) still read.
  if (total < 40) return true;
  return noise / total < 0.35 && content / total >= 0.3;
}

type Evidence = { points: number; reason: string };

function senderEvidence(msg: ParsedMessage): { daemon: string | null; feedback: string | null; noreply: boolean } {
  const from = msg.from?.address || '';
  const local = from.includes('@') ? from.slice(0, from.lastIndexOf('@')) : from;
  const name = msg.from?.name || '';
  let daemon: string | null = null;
  if (local && DAEMON_LOCAL.test(local)) daemon = from;
  else if (name && DAEMON_NAME.test(name)) daemon = name;
  // "From: <>": a From without an address or a person's name; only mail systems send that.
  else if (!from && !/\p{L}/u.test(name) && hasHeader(msg, 'from')) daemon = 'an empty From address';
  const feedback = local && FEEDBACK_LOCAL.test(local) ? from : null;
  return { daemon, feedback, noreply: !!local && NOREPLY_LOCAL.test(local) };
}

/** Signs in the text that it was written by software about mail: addresses, hosts, SMTP codes. */
function machineTokens(head: string): boolean {
  return SMTP_TRACE.test(head) || /<[^<>\s@]+@[^<>\s@]+>|^\s*[^\s@]+@[^\s@]+\.[a-z]{2,}\s*$/im.test(head);
}

function looksLikeBounce(msg: ParsedMessage): string | null {
  // Report structure: decisive.
  if (msg.contentType === 'multipart/report') {
    const rt = (msg.contentTypeParams['report-type'] || '').toLowerCase();
    if (rt === 'feedback-report') return 'multipart/report feedback-report (abuse report)';
    if (rt === 'disposition-notification') return null; // read receipt: an automatic reply, see below
    return `multipart/report${rt ? ` report-type=${rt}` : ''} (delivery status notification)`;
  }
  const report = msg.partTypes.find((t) => REPORT_TYPES.has(t) && !t.includes('disposition'));
  if (report) return `contains a ${report} part`;
  if (hasHeader(msg, 'x-failed-recipients')) return 'X-Failed-Recipients header';
  if (hasHeader(msg, 'feedback-type')) return 'Feedback-Type header (abuse report)';
  if (/^true$/i.test(header(msg, 'x-apple-unsubscribe'))) return 'unsubscribe request generated by the recipient\'s mail client (feedback)';
  if (hasHeader(msg, 'x-amz-sns-message-id') || /"notificationType"\s*:\s*"(Bounce|Complaint|Delivery)"/.test(msg.text.slice(0, 20_000))) {
    return 'Amazon SES/SNS delivery notification';
  }
  const ndr = msg.headers.find(([k, v]) => NDR_HEADER.test(k) && !/^(false|no|0)$/i.test(v.trim()));
  if (ndr) return `non-delivery report header ${ndr[0]}`;

  const head = msg.text.slice(0, 20_000);
  // DSN or ARF fields written out as text: a report without its MIME labels.
  const fields = new Set((head.match(DSN_FIELD) || []).map((f) => f.slice(0, f.indexOf(':')).toLowerCase()));
  if (fields.size >= 2) return `delivery-status fields in the text (${[...fields].slice(0, 3).join(', ')})`;

  const sender = senderEvidence(msg);
  const subject = msg.subject;
  const answered = HUMAN_PREFIX.test(subject);
  if (sender.daemon) {
    return BOUNCE_SUBJECT.test(subject) || BOUNCE_BODY.test(head) ? `sender ${sender.daemon} reports a delivery failure` : `sent by a mail system (${sender.daemon})`;
  }
  if (!answered && MACHINE_SUBJECT.test(subject)) return `subject "${subject.slice(0, 80)}" is a mail system's report`;

  // Weaker evidence adds up.
  const found: Evidence[] = [];
  const subjectBounce = BOUNCE_SUBJECT.test(subject);
  if (subjectBounce) found.push({ points: 1, reason: `delivery-failure subject "${subject.slice(0, 80)}"` });
  const machine = machineTokens(head);
  const nullRp = isNullReturnPath(msg);
  const wording = BOUNCE_BODY.exec(head);
  // Wording alone is no evidence: it counts beside a machine sign.
  if (wording && (machine || nullRp || sender.feedback || sender.noreply)) found.push({ points: 1, reason: `delivery-failure wording ("${wording[0].slice(0, 60)}")` });
  if (SMTP_TRACE.test(head) && (wording || subjectBounce)) found.push({ points: 1, reason: 'SMTP replies in the text' });
  if (nullRp) found.push({ points: 1, reason: 'empty Return-Path' });
  if (sender.feedback) found.push({ points: 1, reason: `report sender ${sender.feedback}` });
  else if (sender.noreply && (subjectBounce || wording)) found.push({ points: 1, reason: `no-reply sender ${msg.from?.address}` });
  if (LIST_MANAGER.test(msg.from?.address || '') && (subjectBounce || wording)) found.push({ points: 1, reason: `list manager ${msg.from?.address}` });
  const returned = msg.partTypes.some((t) => t === 'message/rfc822' || t === 'text/rfc822-headers' || t === 'message/global' || t === 'message/global-headers' || t === 'message/partial') || RETURNED_INLINE.test(head);
  if (returned && (subjectBounce || wording)) found.push({ points: 1, reason: 'the returned message is attached' });
  const points = found.reduce((s, e) => s + e.points, 0);
  if (points >= 2) return found.map((e) => e.reason).join('; ');
  return null;
}

function looksLikeAutoreply(msg: ParsedMessage): string | null {
  const as = header(msg, 'auto-submitted').toLowerCase();
  if (as && !as.startsWith('no')) return `Auto-Submitted: ${as} (RFC 3834)`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-mail-autoreply', 'x-autoreply-from', 'x-vacation']) {
    const v = header(msg, h).toLowerCase();
    if (hasHeader(msg, h) && v !== 'no' && v !== 'false' && v !== '0') return `${h} header`;
  }
  if (/vacation|auto-?reply/i.test(header(msg, 'x-apple-action'))) return `X-Apple-Action: ${header(msg, 'x-apple-action')}`;
  const ag = header(msg, 'x-autogenerated') || header(msg, 'x-auto-generated');
  if (/reply/i.test(ag)) return `X-Autogenerated: ${ag}`;
  const prec = (header(msg, 'precedence') || header(msg, 'x-precedence')).toLowerCase();
  if (prec === 'auto_reply' || prec === 'auto-reply') return `Precedence: ${prec}`;
  if (msg.contentType === 'multipart/report' && (msg.contentTypeParams['report-type'] || '').toLowerCase() === 'disposition-notification') {
    return 'read receipt (multipart/report disposition-notification)';
  }
  if (msg.partTypes.some((t) => t.includes('disposition-notification'))) return 'read receipt (disposition-notification part)';
  if (AUTOREPLY_SUBJECT.test(msg.subject)) {
    return `automatic-reply subject "${msg.subject.slice(0, 80)}"`;
  }
  if (/^all$|oof|autoreply/i.test(header(msg, 'x-auto-response-suppress')) && hasHeader(msg, 'x-ms-exchange-inbox-rules-loop')) {
    return 'Exchange inbox-rule reply headers';
  }
  if (isNullReturnPath(msg)) return 'empty Return-Path <> (automatic message)';
  return null;
}

function looksLikeList(msg: ParsedMessage): string | null {
  for (const h of ['list-id', 'list-unsubscribe', 'list-post', 'mailing-list', 'x-mailing-list', 'x-beenthere', 'x-mlserver', 'x-ml-name', 'x-mailman-version']) {
    if (hasHeader(msg, h)) return `${h} header: ${header(msg, h).slice(0, 80)}`;
  }
  const prec = (header(msg, 'precedence') || header(msg, 'x-precedence')).toLowerCase();
  if (prec === 'bulk' || prec === 'junk' || prec === 'list') return `Precedence: ${prec}`;
  return null;
}

/** Decides the kind of a parsed message. Pure and total: always returns a kind and a reason. */
export function classify(msg: ParsedMessage): Classification {
  try {
    const bounce = looksLikeBounce(msg);
    if (bounce) return { kind: 'bounce', reason: bounce };
    const auto = looksLikeAutoreply(msg);
    if (auto) return { kind: 'autoreply', reason: auto };
    const list = looksLikeList(msg);
    if (list) return { kind: 'list', reason: list };
    return { kind: 'letter', reason: 'no automatic-mail signs' };
  } catch (err) {
    // Cannot happen with well-formed ParsedMessage; still, never answer on doubt.
    return { kind: 'bounce', reason: `classification failed: ${String(err).slice(0, 100)}` };
  }
}
