// Writers' links (confirm, and later approve and withdraw) carry a random
// token; only its hash is stored, tied to one letter.
import crypto from 'node:crypto';
import { randomBytes } from '../util/random.ts';

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}
