// Plain-text mail to writers, in their language (a Translator from src/i18n).
// Reader text is quoted as text; these mails have no HTML part, so nothing a
// reader wrote can become markup in a mail client.
import type { Translator } from '../i18n/index.ts';

export type AckInput = {
  t: Translator;
  publicationName: string;
  writerName: string;
  articleTitle: string | null;
  confirmUrl: string | null;
  /** A letter by email: the link to the page where the writer agrees to publication. */
  consentUrl?: string | null;
  excerpt: string;
  /** The writer's link to withdraw the letter (every mail from the desk carries one). */
  withdrawUrl?: string | null;
};

export function acknowledgement(i: AckInput): { subject: string; text: string } {
  const { t } = i;
  const publication = i.publicationName;
  const lines = [t.t('mail.dear', { name: i.writerName }), '', i.articleTitle ? t.t('mail.ack.thanksAbout', { title: i.articleTitle, publication }) : t.t('mail.ack.thanks', { publication })];
  if (i.confirmUrl) {
    lines.push('', t.t('mail.ack.confirm'), '', `  ${i.confirmUrl}`, '');
    lines.push(t.t('mail.ack.notYou'));
  } else {
    lines.push('', t.t('mail.ack.read'));
  }
  if (i.consentUrl) lines.push('', t.t('mail.ack.consent'), '', `  ${i.consentUrl}`);
  lines.push('', t.t('mail.ack.begins'), '', ...quote(i.excerpt), '', t.t('mail.signature', { publication }), '');
  if (i.withdrawUrl) lines.push(t.t('mail.withdraw'), `  ${i.withdrawUrl}`, '');
  lines.push(t.t('mail.automaticNoReply'));
  const subject = i.confirmUrl ? 'mail.ack.subjectConfirm' : i.consentUrl ? 'mail.ack.subjectConsent' : 'mail.ack.subject';
  return { subject: t.t(subject, { publication }), text: lines.join('\n') };
}

function quote(text: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const short = words.slice(0, 60).join(' ') + (words.length > 60 ? ' …' : '');
  const out: string[] = [];
  let line = '>';
  for (const w of short.split(' ')) {
    if ((line + ' ' + w).length > 72 && line !== '>') {
      out.push(line);
      line = '>';
    }
    line += ' ' + w;
  }
  if (line !== '>') out.push(line);
  return out;
}
