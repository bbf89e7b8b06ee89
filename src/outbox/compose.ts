// How the desk's own mail is addressed and threaded. Every message says it is
// automatic (RFC 3834), so well-behaved auto-responders do not answer it, and
// carries a Message-ID that names the letter, so a writer's reply threads
// back onto it.
import { randomBytes } from '../util/random.ts';

export function domainOf(address: string): string {
  return address.split('@')[1] || 'localhost';
}

/** `<letter.{letterId}.{random}@{domain}>`; src/mail reads the letter id back from replies. */
export function letterMessageId(letterId: string | null, lettersAddress: string): string {
  const rand = randomBytes(6).toString('hex');
  return `<${letterId ? `letter.${letterId}` : 'desk'}.${rand}@${domainOf(lettersAddress)}>`;
}

export function deskHeaders(opts: { inReplyTo?: string | null; references?: string[] }): Record<string, string> {
  const h: Record<string, string> = {
    'Auto-Submitted': 'auto-replied',
    'X-Auto-Response-Suppress': 'All',
    Precedence: 'auto_reply',
  };
  if (opts.inReplyTo) h['In-Reply-To'] = opts.inReplyTo;
  const refs = [...(opts.references ?? []), ...(opts.inReplyTo ? [opts.inReplyTo] : [])];
  if (refs.length) h.References = [...new Set(refs)].join(' ');
  return h;
}
