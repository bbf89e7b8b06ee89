// Plain-text mail from the desk to writers and authors, in their language (a
// Translator from src/i18n). Reader text is quoted as text; there is no HTML
// part, so nothing a reader wrote becomes markup. Every mail to a writer ends
// with the withdraw link (see footer).
import type { Translator } from '../i18n/index.ts';

function block(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`);
}

export function footer(t: Translator, publicationName: string, withdrawUrl: string | null): string[] {
  const lines = ['', t.t('mail.signature', { publication: publicationName }), ''];
  if (withdrawUrl) lines.push(t.t('mail.withdraw'), `  ${withdrawUrl}`, '');
  lines.push(t.t('mail.automatic'));
  return lines;
}

export function approvalRequest(i: { t: Translator; publicationName: string; writerName: string; articleTitle: string | null; redline: string; edited: string; approvalUrl: string; withdrawUrl: string | null; days: number; asksConsent?: boolean }) {
  const { t } = i;
  const publication = i.publicationName;
  const lines = [
    t.t('mail.dear', { name: i.writerName }),
    '',
    i.articleTitle ? t.t('mail.approval.introAbout', { title: i.articleTitle, publication }) : t.t('mail.approval.intro', { publication }),
    t.t('mail.approval.legend', { open: '{+', close: '+}' }),
    '',
    ...block(i.redline),
    '',
    t.t('mail.approval.open'),
    `  ${i.approvalUrl}`,
    '',
    t.t('mail.approval.reply', { days: i.days }),
    ...(i.asksConsent ? ['', t.t('approval.consent', { publication })] : []),
    '',
    t.t('mail.approval.full'),
    '',
    ...block(i.edited),
    ...footer(t, publication, i.withdrawUrl),
  ];
  return { subject: t.t('mail.approval.subject', { publication }), text: lines.join('\n') };
}

export function publishedNotice(i: { t: Translator; publicationName: string; writerName: string; url: string; withdrawUrl: string | null }) {
  const { t } = i;
  const publication = i.publicationName;
  const lines = [t.t('mail.dear', { name: i.writerName }), '', t.t('mail.published.text', { publication }), '', `  ${i.url}`, '', t.t('mail.published.thanks'), ...footer(t, publication, i.withdrawUrl)];
  return { subject: t.t('mail.published.subject', { publication }), text: lines.join('\n') };
}

export function declinedNotice(i: { t: Translator; publicationName: string; writerName: string; notChosen: boolean }) {
  const { t } = i;
  const lines = [t.t('mail.dear', { name: i.writerName }), '', t.t(i.notChosen ? 'mail.declined.notChosen' : 'mail.declined.decided'), '', t.t('mail.declined.again'), ...footer(t, i.publicationName, null)];
  return { subject: t.t('mail.declined.subject', { publication: i.publicationName }), text: lines.join('\n') };
}

export function authorInvitation(i: { t: Translator; publicationName: string; authorName: string; articleTitle: string | null; letterName: string; letterText: string; replyUrl: string }) {
  const { t } = i;
  const publication = i.publicationName;
  const lines = [
    t.t('mail.dear', { name: i.authorName }),
    '',
    i.articleTitle ? t.t('mail.author.introAbout', { publication, name: i.letterName, title: i.articleTitle }) : t.t('mail.author.intro', { publication, name: i.letterName }),
    '',
    ...block(i.letterText),
    '',
    t.t('mail.author.reply'),
    `  ${i.replyUrl}`,
    '',
    t.t('mail.signature', { publication }),
    '',
    t.t('mail.automaticNoReply'),
  ];
  return { subject: t.t('mail.author.subject', { publication }), text: lines.join('\n') };
}
