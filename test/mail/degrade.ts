// Test support: variants of a real message that keep one kind of evidence and
// take the others away, to check that classification works by method (headers,
// report structure, wording) rather than by whichever evidence a sample
// happens to carry.
//  - withoutText: the top-level headers only; the body becomes binary data
//    nobody can read (no report, no text).
//  - withoutReport: the machine-readable parts (delivery-status, feedback
//    report, returned message or headers) become opaque attachments and the
//    X-Failed-Recipients header goes; the human-readable text stays.

const latin1 = new TextDecoder('latin1');

function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function split(raw: Uint8Array): { head: string[]; body: string } {
  const text = latin1.decode(raw).replace(/\r\n?/g, '\n');
  const end = text.indexOf('\n\n');
  const headText = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  // Unfold into whole header fields.
  const head: string[] = [];
  for (const line of headText.split('\n')) {
    if (/^[ \t]/.test(line) && head.length) head[head.length - 1] += '\n' + line;
    else head.push(line);
  }
  return { head, body };
}

/** Deterministic bytes that decode to no text in any charset (many control bytes). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

/** The message's own headers over a body of binary data (application/octet-stream). */
export function withoutText(raw: Uint8Array, seed = 1): Uint8Array {
  const { head } = split(raw);
  const kept = head.filter((h) => !/^(content-type|content-transfer-encoding|content-disposition|mime-version)\s*:/i.test(h));
  const b64 = Buffer.from(noise(600, seed)).toString('base64').replace(/.{76}/g, '$&\n');
  return toBytes(
    [...kept, 'MIME-Version: 1.0', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', b64, ''].join('\r\n'),
  );
}

/** The same message as a text/plain body of undecodable bytes labelled as UTF-8. */
export function withGarbledText(raw: Uint8Array, seed = 1): Uint8Array {
  const { head } = split(raw);
  const kept = head.filter((h) => !/^(content-type|content-transfer-encoding|content-disposition|mime-version)\s*:/i.test(h));
  const b64 = Buffer.from(noise(900, seed)).toString('base64').replace(/.{76}/g, '$&\n');
  return toBytes(
    [...kept, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64, ''].join('\r\n'),
  );
}

const REPORT_TYPES = /(multipart\/report|message\/(global-)?(delivery-status|feedback-report|disposition-notification|rfc822|global|global-headers|partial)|text\/rfc822-headers|message\/global-delivery-status)/gi;

/** The human-readable text without the machine-readable report parts. */
export function withoutReport(raw: Uint8Array): Uint8Array {
  const { head, body } = split(raw);
  const kept = head
    .filter((h) => !/^x-failed-recipients\s*:/i.test(h))
    .map((h) => (/^content-type\s*:/i.test(h) ? h.replace(/multipart\/report/i, 'multipart/mixed').replace(/report-type\s*=\s*"?[\w-]+"?;?/i, '') : h));
  // Every report part (nested headers included) becomes an opaque attachment.
  const b = body.replace(/^(content-type:[ \t]*)([^\s;]+)/gim, (m, k: string, t: string) => {
    if (/^multipart\/report$/i.test(t)) return `${k}multipart/mixed`;
    return REPORT_TYPES.test(t) ? ((REPORT_TYPES.lastIndex = 0), `${k}application/octet-stream`) : ((REPORT_TYPES.lastIndex = 0), m);
  });
  return toBytes([...kept, '', b].join('\r\n'));
}
