// The SPF/DKIM/DMARC check itself (mailauth), as the mail worker runs it
// (src/inbound/auth.ts sends the work there). Loaded only in the worker:
// mailauth takes half a second to load.
import dns from 'node:dns';
import { authenticate } from 'mailauth';
import type { AuthSummary } from '../db/repositories/inbound.ts';
import type { AuthInput } from './auth.ts';

const LOOKUP_TIMEOUT_MS = 1500;
/** For slow DNS (a wait: this worker's timers still fire); CPU work is bounded by the pool's hard limit. */
const CHECK_CEILING_MS = 6000;

function liveResolver() {
  const r = new dns.promises.Resolver({ timeout: LOOKUP_TIMEOUT_MS, tries: 1 });
  return (name: string, rrtype: string) => r.resolve(name, rrtype as 'TXT') as Promise<unknown>;
}

async function noDns(): Promise<never> {
  throw Object.assign(new Error('DNS lookups are turned off'), { code: 'ENOTFOUND' });
}

const none = (upstream: string | null, error?: string): AuthSummary => ({ spf: null, dkim: null, dmarc: null, header: null, upstream, ...(error ? { error } : {}) });

/** The check itself, on this thread (the mail worker runs it). */
export async function authenticateHere(raw: Uint8Array, input: AuthInput): Promise<AuthSummary> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const check = authenticate(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
      ip: input.ip ?? '127.0.0.1',
      helo: input.helo ?? 'localhost',
      sender: input.sender ?? '',
      mta: input.mta,
      resolver: input.dns ? liveResolver() : noDns,
      disableBimi: true,
    } as Parameters<typeof authenticate>[1]);
    const ceiling = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), CHECK_CEILING_MS);
    });
    const r = (await Promise.race([check, ceiling])) as any;
    if (!r) return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', header: null, upstream: input.upstream, error: 'authentication checks timed out' };
    const dkims: string[] = (r.dkim?.results ?? []).map((d: any) => String(d?.status?.result ?? 'none'));
    const dkim = dkims.includes('pass') ? 'pass' : (dkims[0] ?? 'none');
    return {
      spf: r.spf?.status?.result ?? 'none',
      dkim,
      dmarc: r.dmarc?.status?.result ?? 'none',
      header: typeof r.headers === 'string' ? r.headers.slice(0, 4000) : null,
      upstream: input.upstream,
    };
  } catch (err) {
    return none(input.upstream, `authentication checks failed: ${(err as Error).message}`.slice(0, 300));
  } finally {
    clearTimeout(timer);
  }
}
