// SPF, DKIM and DMARC for a received message (mailauth), run in the mail
// worker pool (mail-pool.ts) with a hard time limit: mailauth's work grows
// much faster than the header it reads, and a timer on the thread doing
// that work cannot fire. DNS answers are bounded too: each lookup times out
// quickly and the whole check has a ceiling, so a dead resolver delays a
// message by seconds, never hangs the SMTP session (src/inbound/sender-auth.ts,
// where the check itself lives). With LETTERDESK_MAIL_DNS=off (tests, offline
// desks) no lookup is made and the results say "none". The upstream MTA's own
// Authentication-Results header is kept beside ours: in production
// letterdesk sits behind an MTA, so its view of the connecting host is the
// better one.
import type { AuthSummary } from '../db/repositories/inbound.ts';
import { DEFAULT_LIMITS } from '../mail/parse.ts';
import { runMailTask } from './mail-pool.ts';

export type AuthInput = {
  ip: string | null;
  helo: string | null;
  sender: string | null;
  mta: string;
  dns: boolean;
  upstream: string | null;
  /** Hard limit on the check's work, in ms (mail worker pool); the desk's setting by default. */
  timeLimitMs?: number;
};

const none = (upstream: string | null, error?: string): AuthSummary => ({ spf: null, dkim: null, dmarc: null, header: null, upstream, ...(error ? { error } : {}) });

/** How a check that was stopped says so in its `error`. */
const STOPPED = 'authentication checks stopped: the message';

/**
 * SPF, DKIM and DMARC for a message, in the mail worker pool. A check that
 * runs past the hard time limit (CPU, not DNS: DNS waits end in temperror at
 * the ceiling) is stopped with its worker; `authStopped` then says why, and
 * the message is quarantined.
 */
export async function checkAuth(raw: Uint8Array, input: AuthInput): Promise<AuthSummary> {
  const out = await runMailTask<AuthSummary, { input: AuthInput }>('auth', raw, { input }, input.timeLimitMs ?? DEFAULT_LIMITS.timeLimitMs);
  if (out.ok) return out.value;
  return authFailed(input.upstream, out.reason);
}

/** The result of a check the pool stopped (`reason`: the pool's, "took longer than …"). */
export function authFailed(upstream: string | null, reason: string): AuthSummary {
  return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', header: null, upstream, error: `${STOPPED} ${reason}` };
}

/** Why the check was stopped (the message is then quarantined), or null. */
export function authStopped(auth: AuthSummary): string | null {
  return auth.error?.startsWith(STOPPED) ? `SPF/DKIM/DMARC check of the message ${auth.error.slice(STOPPED.length).trim()}` : null;
}

/** A message that is not read further (quarantined) is not authenticated either. */
export function notChecked(reason: string): AuthSummary {
  return none(null, `not checked: ${reason}`.slice(0, 300));
}
