// Test support: a labelled letter (name, email, date, subject, body) as the raw
// message a mail client sends: plain text, UTF-8, quoted-printable when needed.

export interface LetterFields {
  id: string;
  name: string;
  email: string;
  date: string;
  subject: string;
  body: string;
  cc?: string[];
}

function encodeWord(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function quotedPrintable(s: string): string {
  const bytes = Buffer.from(s.replace(/\r?\n/g, '\n'), 'utf8');
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      lines.push(line.replace(/ $/, '=20'));
      line = '';
      continue;
    }
    const t = (b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + t.length > 75) {
      lines.push(line + '=');
      line = '';
    }
    line += t;
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** The raw message a mail client would send for this letter to `to`. */
export function letterAsMail(l: LetterFields, to = 'letters@review.example.com'): Uint8Array {
  const ascii = /^[\x00-\x7f]*$/.test(l.body);
  const head = [
    `From: ${encodeWord(l.name)} <${l.email}>`,
    `To: ${to}`,
    ...(l.cc?.length ? [`Cc: ${l.cc.join(', ')}`] : []),
    `Subject: ${encodeWord(l.subject)}`,
    `Date: ${new Date(l.date).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${l.id}.${Date.parse(l.date)}@${l.email.split('@')[1]}>`,
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${ascii ? 'us-ascii' : 'UTF-8'}; format=flowed`,
    `Content-Transfer-Encoding: ${ascii ? '7bit' : 'quoted-printable'}`,
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:2.0) Gecko/20100101 Thunderbird/3.1.6',
  ];
  const body = ascii ? l.body.replace(/\r?\n/g, '\r\n') : quotedPrintable(l.body);
  return new TextEncoder().encode(head.join('\r\n') + '\r\n\r\n' + body + '\r\n');
}
