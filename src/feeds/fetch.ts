// One HTTP GET of a feed document with Node's fetch: conditional (ETag,
// Last-Modified; 304 is "nothing new"), within a time limit for the whole
// exchange, read up to a size limit, redirects followed only within the
// feed's own site and never in a loop, gzip files unpacked within the same
// limit, the text decoded by its declared charset. Every way it can fail is a
// FeedError whose message says what happened in words an admin can act on.
import zlib from 'node:zlib';
import { FeedError } from './item.ts';

export type FetchLimits = { timeoutMs: number; maxBytes: number; userAgent: string };
export type Validators = { etag: string | null; lastModified: string | null };

export type Fetched =
  | { notModified: true; status: number }
  | { notModified: false; status: number; url: string; text: string; contentType: string; etag: string | null; lastModified: string | null; headers: Headers };

const MAX_REDIRECTS = 5;
const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1';

const site = (u: URL) => u.hostname.toLowerCase().replace(/^www\./, '');

export async function fetchDocument(url: string, limits: FetchLimits, validators: Validators | null = null): Promise<Fetched> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    return await follow(url, limits, validators, signal);
  } catch (err) {
    throw asFeedError(err, limits);
  }
}

async function follow(url: string, limits: FetchLimits, validators: Validators | null, signal: AbortSignal): Promise<Fetched> {
  const first = new URL(url);
  const seen = new Set<string>();
  let current = first;
  for (let hop = 0; ; hop++) {
    seen.add(current.toString());
    const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': limits.userAgent };
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
    const res = await fetch(current, { headers, redirect: 'manual', signal });
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      await res.body?.cancel().catch(() => {});
      const location = res.headers.get('location');
      if (!location) throw new FeedError(`HTTP ${res.status} redirect without a Location`, res.status);
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FeedError(`redirects to a ${next.protocol} address`, res.status);
      if (site(next) !== site(first)) throw new FeedError(`redirects to another site (${next.host}); if that is the feed's new home, configure that address instead`, res.status);
      if (seen.has(next.toString())) throw new FeedError(`redirect loop (${current.pathname} → ${next.pathname})`, res.status);
      if (hop + 1 >= MAX_REDIRECTS) throw new FeedError(`more than ${MAX_REDIRECTS} redirects`, res.status);
      current = next;
      continue;
    }
    if (res.status === 304) {
      await res.body?.cancel().catch(() => {});
      if (!validators) throw new FeedError('HTTP 304 to a request that was not conditional', 304);
      return { notModified: true, status: 304 };
    }
    if (res.status < 200 || res.status >= 300) {
      await res.body?.cancel().catch(() => {});
      throw new FeedError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from the feed's server`, res.status);
    }
    const contentType = res.headers.get('content-type') ?? '';
    const bytes = unpack(await readCapped(res, limits.maxBytes), limits.maxBytes, current);
    return {
      notModified: false,
      status: res.status,
      url: current.toString(),
      text: decode(bytes, contentType),
      contentType,
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
      headers: res.headers,
    };
  }
}

const tooLarge = (max: number) => new FeedError(`the document is larger than ${max} bytes (FEED_MAX_BYTES)`);

async function readCapped(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max && !res.headers.get('content-encoding')) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge(max);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** A gzip file (a `sitemap.xml.gz`), unpacked within the same limit. */
function unpack(bytes: Buffer, max: number, url: URL): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: max });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(max);
    throw new FeedError(`${url.pathname} is a broken gzip file: ${(err as Error).message}`);
  }
}

/** Text by the charset the server or the XML declaration names; UTF-8 otherwise. */
function decode(bytes: Buffer, contentType: string): string {
  const head = bytes.subarray(0, 200).toString('latin1');
  const label = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] ?? /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function asFeedError(err: unknown, limits: FetchLimits): FeedError {
  if (err instanceof FeedError) return err;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new FeedError(`no complete answer within ${Math.round(limits.timeoutMs / 100) / 10} seconds (FEED_TIMEOUT_SECONDS)`);
  const code = e?.cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (is the address right, is the server up?)',
    ENOTFOUND: 'the host name was not found',
    EAI_AGAIN: 'the host name could not be looked up just now',
    ECONNRESET: 'the connection was reset by the server',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the connection broke off',
  };
  if (code && known[code]) return new FeedError(known[code]);
  return new FeedError(`could not fetch: ${e?.cause?.message ?? e?.message ?? String(err)}`);
}
