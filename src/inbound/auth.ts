// SPF, DKIM and DMARC for a received message (mailauth). DNS answers are
// bounded: each lookup times out quickly and the whole check has a ceiling,
// so a dead resolver delays a message by seconds, never hangs the SMTP
// session. With LETTERDESK_MAIL_DNS=off (tests, offline desks) no lookup is
// made and the results say "none". The upstream MTA's own
// Authentication-Results header is kept beside ours: in production letterdesk
// sits behind an MTA, so its view of the connecting host is the better one.
import dns from 'node:dns';
import { authenticate } from 'mailauth';
import type { AuthSummary } from '../db/repositories/inbound.ts';

export type AuthInput = { ip: string | null; helo: string | null; sender: string | null; mta: string; dns: boolean; upstream: string | null };

const LOOKUP_TIMEOUT_MS = 1500;
const CHECK_CEILING_MS = 6000;

function liveResolver() {
  const r = new dns.promises.Resolver({ timeout: LOOKUP_TIMEOUT_MS, tries: 1 });
  return (name: string, rrtype: string) => r.resolve(name, rrtype as 'TXT') as Promise<unknown>;
}

async function noDns(): Promise<never> {
  throw Object.assign(new Error('DNS lookups are turned off'), { code: 'ENOTFOUND' });
}

const none = (upstream: string | null, error?: string): AuthSummary => ({ spf: null, dkim: null, dmarc: null, header: null, upstream, ...(error ? { error } : {}) });

export async function checkAuth(raw: Uint8Array, input: AuthInput): Promise<AuthSummary> {
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
