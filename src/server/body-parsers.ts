// Request bodies are decoded strictly: bytes that are not UTF-8 are refused
// with a clear error instead of being silently replaced, so what a writer
// sent is what is stored.
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decode(buf: Buffer): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw new HttpError(400, 'invalid_encoding', 'The request body is not valid UTF-8 text.');
  }
}

/** application/x-www-form-urlencoded, with percent-escapes decoded as strict UTF-8. */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const v = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1));
    // The first value wins; forms here never repeat a field.
    if (!(k in out) && k !== '__proto__') out[k] = v;
  }
  return out;
}

function decodeComponent(s: string): string {
  // Each run of escapes is one UTF-8 byte sequence (a character is never split
  // across literal text), decoded strictly.
  return s.replace(/\+/g, ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (seq) => decode(Buffer.from(seq.replace(/%/g, ''), 'hex')));
}

export function registerBodyParsers(app: FastifyInstance, opts: { rawMailLimit: number }): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    try {
      const text = decode(body);
      if (!text.trim()) return done(null, undefined);
      done(null, JSON.parse(text));
    } catch (err) {
      done(err instanceof HttpError ? err : new HttpError(400, 'invalid_json', 'The request body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    try {
      done(null, parseForm(decode(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // Raw mail is bytes: charsets are the mail parser's business.
  app.addContentTypeParser(['message/rfc822', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: opts.rawMailLimit }, (_req, body: Buffer, done) => done(null, body));
  // Multipart bodies (a mail provider's webhook with attachments) stay bytes; the route reads them with the Fetch API's FormData.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: opts.rawMailLimit }, (_req, body: Buffer, done) => done(null, body));
}
