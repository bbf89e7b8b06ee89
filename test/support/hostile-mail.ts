// Messages made to hurt: built from a seed, never stored as fixtures.

const HEAD = (id: string, subject = 'My letter') =>
  `From: Pat Writer <pat.writer@example.net>\r\nTo: letters@review.example.com\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <${id}@example.net>\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n`;

/** A Subject folded over `bytes` of 78-character lines (the issue's message: 2 MB, about 27,000 lines). */
export function foldedSubjectMessage(bytes: number, id = 'folded'): Buffer {
  const line = ' lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor';
  const lines = Math.ceil(bytes / (line.length + 2));
  return Buffer.from(`${HEAD(id, 'Folded').replace('Subject: Folded\r\n', '')}Subject: Folded${`\r\n${line}`.repeat(lines)}\r\n\r\nHello, this is my letter about the council.\r\n`);
}

/** A plain-text letter of `bytes` whose lines are full of markup-like prose: a lot of honest work for every reader of the text. */
export function hugeLetter(bytes: number, id = 'huge'): Buffer {
  const line = 'If fines < profits & profits > 0 then <b>the law</b> fails; the council knows it.\r\n';
  return Buffer.from(`${HEAD(id)}\r\nDear editor,\r\n\r\n${line.repeat(Math.ceil(bytes / line.length))}\r\nPat Writer\r\n`);
}

/** An HTML-only letter of `bytes`: seconds of honest work turning it into text. */
export function hugeHtmlLetter(bytes: number, id = 'html'): Buffer {
  const block = '<div><p>If fines &lt; profits <b>the law</b> fails.</p><blockquote>Quoted <i>earlier</i> text</blockquote></div>\r\n';
  return Buffer.from(`${HEAD(id).replace('text/plain', 'text/html')}\r\n<html><body><p>Dear editor,</p>${block.repeat(Math.ceil(bytes / block.length))}<p>Pat Writer</p></body></html>\r\n`);
}

/** An ordinary short letter. */
export function plainLetter(id: string, text = 'The council should publish the minutes of its closed sessions: the public paid for them and deserves to read them.'): Buffer {
  return Buffer.from(`${HEAD(id)}\r\nDear editor,\r\n\r\n${text}\r\n\r\nPat Writer\r\nLeeds\r\n`);
}
