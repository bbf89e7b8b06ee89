// Plain-text mail from the desk to writers and authors. Reader text is quoted
// as text; there is no HTML part, so nothing a reader wrote becomes markup.
// Every mail to a writer ends with the withdraw link (see footer).

function block(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`);
}

export function footer(publicationName: string, withdrawUrl: string | null): string[] {
  const lines = ['', `— The letters desk, ${publicationName}`, ''];
  if (withdrawUrl) lines.push('To withdraw your letter at any time, open:', `  ${withdrawUrl}`, '');
  lines.push('This message was sent automatically; you can reply to it.');
  return lines;
}

export function approvalRequest(i: { publicationName: string; writerName: string; articleTitle: string | null; redline: string; edited: string; approvalUrl: string; withdrawUrl: string | null; days: number }) {
  const lines = [
    `Dear ${i.writerName},`,
    '',
    `We would like to publish your letter${i.articleTitle ? ` about “${i.articleTitle}”` : ''} in ${i.publicationName}, edited as below.`,
    'Removed words are shown [-like this-], added words {+like this+}.',
    '',
    ...block(i.redline),
    '',
    'To approve or refuse this version, open:',
    `  ${i.approvalUrl}`,
    '',
    `You can also reply to this email: "approve" (or "yes") to approve, anything else to refuse with your comment. The link works once and for ${i.days} days.`,
    '',
    'The edited letter in full:',
    '',
    ...block(i.edited),
    ...footer(i.publicationName, i.withdrawUrl),
  ];
  return { subject: `Your letter to ${i.publicationName}: please approve our edit`, text: lines.join('\n') };
}

export function publishedNotice(i: { publicationName: string; writerName: string; url: string; withdrawUrl: string | null }) {
  const lines = [`Dear ${i.writerName},`, '', `Your letter has been published by ${i.publicationName}:`, '', `  ${i.url}`, '', 'Thank you for writing to us.', ...footer(i.publicationName, i.withdrawUrl)];
  return { subject: `Your letter to ${i.publicationName} has been published`, text: lines.join('\n') };
}

export function declinedNotice(i: { publicationName: string; writerName: string; notChosen: boolean }) {
  const lines = [
    `Dear ${i.writerName},`,
    '',
    i.notChosen
      ? `Thank you for your letter. We receive many more letters than we can print, and we will not be publishing yours this time.`
      : `Thank you for your letter. After reading it carefully, we have decided not to publish it.`,
    '',
    'We hope you will write to us again.',
    ...footer(i.publicationName, null),
  ];
  return { subject: `Your letter to ${i.publicationName}`, text: lines.join('\n') };
}

export function authorInvitation(i: { publicationName: string; authorName: string; articleTitle: string | null; letterName: string; letterText: string; replyUrl: string }) {
  const lines = [
    `Dear ${i.authorName},`,
    '',
    `${i.publicationName} has published a letter from ${i.letterName}${i.articleTitle ? ` about your article “${i.articleTitle}”` : ''}:`,
    '',
    ...block(i.letterText),
    '',
    'You are welcome to reply; your reply will be published beneath the letter. Write it here:',
    `  ${i.replyUrl}`,
    '',
    `— The letters desk, ${i.publicationName}`,
    '',
    'This message was sent automatically.',
  ];
  return { subject: `A letter about your article in ${i.publicationName}`, text: lines.join('\n') };
}
