// classify: letter | autoreply | bounce | list, with a reason a person can read.
//
// Order matters: a bounce often also carries "Auto-Submitted: auto-replied" and a
// mailing-list bounce carries List-Id, so delivery failures are recognised first,
// then automatic replies, then list traffic. Everything else is a letter (the spam
// kind is decided by the screening scorer, not here). The desk never answers
// anything that is not a letter, so when in doubt between letter and a machine
// kind, strong header evidence decides; body phrases alone only count together
// with a machine-looking sender or an empty Return-Path.

import type { Classification, ParsedMessage } from './types.ts';

const REPORT_TYPES = new Set([
  'message/delivery-status', 'message/global-delivery-status', 'message/feedback-report',
  'message/disposition-notification', 'message/global-disposition-notification',
]);

// Local parts used by mail systems when they report on mail, not people.
const DAEMON_SENDER = /^(mailer[-_]?daemon|postmaster|mail[-_]?delivery[-_]?(subsystem|system)?|mail[-_]?daemon|maildelivery|bounces?|mdaemon|mailadmin|mmdf|mail-?router|nobody|double-?bounce|smtp[-_]?gateway|returned[-_]?mail|abuse-report|notifications?-?bounce|noreply-dmarc-support)(\+.*)?@/i;
const DAEMON_NAME = /\b(mail delivery (sub)?system|mailer[- ]daemon|postmaster|mail administrator|delivery status notification|mail system|mail delivery service|post office)\b/i;

// Bounce subjects in several languages (English, German, French, Spanish, Italian,
// Portuguese, Dutch, Scandinavian, Polish, Russian, Japanese).
const BOUNCE_SUBJECT = new RegExp(
  [
    'undeliver(ed|able)', 'delivery (status notification|failure|failed|has failed|problem|report|notification)',
    'mail delivery (failed|failure|problem|error)', 'returned mail', 'returned to sender', 'failure notice',
    'could not (be )?deliver', 'message (not delivered|delivery failed|could not be delivered|undeliverable)',
    'non[- ]?delivery', 'delivery (delayed|notification)', 'warning: (could not send|delayed)', 'mail system error',
    'permanent (error|failure)', 'rejected:? ', 'not delivered', 'nondeliverable', 'bounced? (mail|message)',
    'unzustellbar', 'nicht zustellbar', 'zustellung fehlgeschlagen', 'unzustellbare', 'non remis', 'échec de (la )?remise',
    'echec de (la )?livraison', 'non distribuable', 'no se (puede|pudo) entregar', 'mensaje no entregado', 'devuelto',
    'non recapitabile', 'mancata consegna', 'não (foi )?entregue', 'falha na entrega', 'onbestelbaar',
    'kan niet worden bezorgd', 'ikke levert', 'kunde inte levereras', 'olevererbart', 'niedostarczon',
    'не доставлено', 'недоставлен', '配信不能', '未配達', 'エラー', '送信できませんでした', '退信', '投递失败', '系统退信',
    'mail could not be sent', 'failed delivery', 'delivery status', 'mail failure', 'error sending message',
    'nicht ausgeliefert', 'retour de courrier', 'mail returned', 'unable to deliver', 'delivery unsuccessful',
    'abuse report', 'complaint about message', 'not (a )?member', 'not subscribed', 'posting (rejected|held)', 'feedback report', 'spam report', 'email feedback',
  ].join('|'),
  'i',
);

// Automatic-reply subjects in several languages.
const AUTOREPLY_SUBJECT = new RegExp(
  [
    'out of (the )?office', 'automatic reply', 'auto(matic)?[- ]?(reply|response|antwort|svar|risposta|respuesta)',
    '^auto:', '^autosvar', 'away from (the |my )?(office|desk)', "^(i am |i'm )?on (vacation|holiday|leave)\\b", 'vacation (reply|message|notice)',
    'holiday (notice|reply)', 'abwesenheit', 'abwesenheitsnotiz', 'nicht im büro', 'außer haus', 'automatische antwort',
    'réponse automatique', '^absen(ce|t)\\b', 'absent du bureau', "hors du bureau", 'respuesta automática', 'fuera de la oficina',
    '^ausente', 'risposta automatica', 'fuori sede', "fuori ufficio", 'resposta automática', 'fora do escritório',
    'automatisch antwoord', 'afwezig', 'frånvaro', 'fravær', 'poza biurem', 'odpowiedź automatyczna', 'автоответ',
    'нет на месте', '自動応答', '不在', '自动回复', 'autoreply', 'auto-reply', 'autoresponder', 'i am (currently )?out of', "i'm (currently )?out of", 'thank you for your (e-?mail|message)[.!]?$', 'ticket (received|created)', 'we have received your (e-?mail|message)',
  ].join('|'),
  'i',
);

// Phrases typical of delivery-status texts written by MTAs.
const BOUNCE_BODY = new RegExp(
  [
    'could not be delivered', 'was not delivered', 'delivery (to the following recipients? )?(has )?failed',
    'permanent(ly)? (fatal )?error', 'undeliverable', 'delivery status notification', 'diagnostic-code:',
    'final-recipient:', 'this is the mail system at host', 'this is the qmail-send program',
    "i'm (sorry|afraid) (to have to inform you that )?(your message|i wasn't able)", 'returned mail: ',
    'message could not be delivered', 'unable to deliver', 'user unknown', 'mailbox (unavailable|not found|full|does not exist)',
    'no such (user|mailbox|recipient)', 'recipient address rejected', 'address not found', 'delivery has failed',
    'the following addresses? had permanent fatal errors', 'host or domain name not found', 'action: failed',
    'status: 5\\.\\d', 'smtp error from remote', 'retry timeout exceeded', 'message delivery has been delayed',
    'mail delivery failed', 'delivery to the following recipient', 'feedback-type:',
  ].join('|'),
  'i',
);

function header(msg: ParsedMessage, key: string): string {
  return (msg.headersOfInterest[key] || '').trim();
}

function hasHeader(msg: ParsedMessage, key: string): boolean {
  return msg.headersOfInterest[key] !== undefined;
}

/** True when the Return-Path is the null sender "<>" (used by DSNs and RFC 3834 replies). */
export function isNullReturnPath(msg: ParsedMessage): boolean {
  return msg.returnPath !== null && /^<\s*>$/.test(msg.returnPath.trim());
}

function looksLikeBounce(msg: ParsedMessage): string | null {
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
  const from = msg.from?.address || '';
  const fromName = msg.from?.name || '';
  const daemon = DAEMON_SENDER.test(from) || DAEMON_NAME.test(fromName);
  const subject = msg.subject;
  const subjectBounce = BOUNCE_SUBJECT.test(subject);
  const head = msg.text.slice(0, 20_000);
  const bodyBounce = BOUNCE_BODY.test(head);
  if (daemon && (subjectBounce || bodyBounce)) return `sender ${from || fromName} reports a delivery failure`;
  if (daemon) return `sent by a mail system (${from || fromName})`;
  if (/(-admin|-owner|-request|-bounces?)@|^owner-/i.test(from) && subjectBounce) return `list manager ${from} refused the message`;
  const nullRp = isNullReturnPath(msg);
  if (nullRp && (subjectBounce || bodyBounce)) return 'empty Return-Path and delivery-failure wording';
  if (subjectBounce && bodyBounce) return `delivery-failure subject "${subject.slice(0, 80)}" and wording`;
  // A forwarded original inside the message with a bounce subject.
  if (subjectBounce && msg.partTypes.includes('message/rfc822')) return `delivery-failure subject "${subject.slice(0, 80)}" with the returned message attached`;
  return null;
}

function looksLikeAutoreply(msg: ParsedMessage): string | null {
  const as = header(msg, 'auto-submitted').toLowerCase();
  if (as && !as.startsWith('no')) return `Auto-Submitted: ${as} (RFC 3834)`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-mail-autoreply']) {
    const v = header(msg, h).toLowerCase();
    if (hasHeader(msg, h) && v !== 'no' && v !== 'false' && v !== '0') return `${h} header`;
  }
  const ag = header(msg, 'x-autogenerated') || header(msg, 'x-auto-generated');
  if (/reply/i.test(ag)) return `X-Autogenerated: ${ag}`;
  const prec = (header(msg, 'precedence') || header(msg, 'x-precedence')).toLowerCase();
  if (prec === 'auto_reply' || prec === 'auto-reply') return `Precedence: ${prec}`;
  if (msg.contentType === 'multipart/report' && (msg.contentTypeParams['report-type'] || '').toLowerCase() === 'disposition-notification') {
    return 'read receipt (multipart/report disposition-notification)';
  }
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
  for (const h of ['list-id', 'list-unsubscribe', 'list-post', 'mailing-list', 'x-mailing-list', 'x-beenthere']) {
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
