// Plain-text mail to writers. Reader text is quoted as text; these mails have
// no HTML part, so nothing a reader wrote can become markup in a mail client.
export type AckInput = {
  publicationName: string;
  writerName: string;
  articleTitle: string | null;
  confirmUrl: string | null;
  excerpt: string;
  /** The writer's link to withdraw the letter (every mail from the desk carries one). */
  withdrawUrl?: string | null;
};

export function acknowledgement(i: AckInput): { subject: string; text: string } {
  const about = i.articleTitle ? `about “${i.articleTitle}”` : '';
  const lines = [`Dear ${i.writerName},`, '', `Thank you for your letter ${about} to ${i.publicationName}.`.replace('  ', ' ')];
  if (i.confirmUrl) {
    lines.push('', 'Please confirm that this address is yours, so that the editors can consider your letter:', '', `  ${i.confirmUrl}`, '');
    lines.push('If you did not write to us, ignore this message and the letter will not be considered.');
  } else {
    lines.push('', 'The letters editors will read it. If we would like to publish it, we will contact you first.');
  }
  lines.push('', 'Your letter begins:', '', ...quote(i.excerpt), '', `— The letters desk, ${i.publicationName}`, '');
  if (i.withdrawUrl) lines.push('To withdraw your letter at any time, open:', `  ${i.withdrawUrl}`, '');
  lines.push('This message was sent automatically.');
  return { subject: `Your letter to ${i.publicationName}${i.confirmUrl ? ': please confirm' : ''}`, text: lines.join('\n') };
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
