// Settings come from the environment (the SPEC's public contract) with the
// documented defaults. Everything else reads this object, never process.env.
import path from 'node:path';

export type Config = {
  port: number;
  host: string;
  smtpPort: number;
  smtpHost: string;
  smtpMaxBytes: number;
  lettersAddress: string;
  /** LETTERS_ADDRESS was set in the environment: it then overrides the address saved in the desk's settings. */
  lettersAddressFromEnv: boolean;
  publicUrl: string;
  databaseUrl: string | null;
  smtpUrl: string | null;
  dataDir: string;
  pow: boolean;
  rateLimit: boolean;
  /** SPF/DKIM/DMARC lookups for received mail (LETTERDESK_MAIL_DNS, on by default; off: no DNS, results say "none"). */
  mailDns: boolean;
  /** Hard limit in ms on each piece of CPU work on one received message (LETTERDESK_MAIL_TIME_LIMIT_MS, 15000): past it the message is quarantined. */
  mailTimeLimitMs: number;
  logLevel: string;
  /** Secret for signing proof-of-work challenges and writer links; kept in the database when not given. */
  secret: string | null;
  /** Behind a reverse proxy (TRUST_PROXY=1): client addresses come from X-Forwarded-For (rate limits, metrics access). */
  trustProxy: boolean;
  /** Bearer token a scraper presents at GET /metrics (METRICS_TOKEN); without one, only this machine may scrape. */
  metricsToken: string | null;
  /** Folder for the daily backup (BACKUP_DIR); null: no scheduled backups. */
  backupDir: string | null;
  /** How many daily backups to keep (BACKUP_KEEP, 7). */
  backupKeep: number;
};

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['off', 'false', '0', 'no'].includes(value.trim().toLowerCase());
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000, 'PORT');
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  return {
    port,
    host,
    smtpPort: int(env.SMTP_PORT, 2525, 'SMTP_PORT'),
    smtpHost: env.SMTP_HOST || host,
    smtpMaxBytes: int(env.SMTP_MAX_BYTES, 10 * 1024 * 1024, 'SMTP_MAX_BYTES'),
    lettersAddress: (env.LETTERS_ADDRESS || 'letters@localhost').trim().toLowerCase(),
    lettersAddressFromEnv: Boolean(env.LETTERS_ADDRESS),
    publicUrl,
    databaseUrl: env.DATABASE_URL || null,
    smtpUrl: env.SMTP_URL || null,
    dataDir: path.resolve(env.LETTERDESK_DATA || 'data'),
    pow: flag(env.LETTERDESK_POW, true),
    rateLimit: flag(env.LETTERDESK_RATE_LIMIT, true),
    mailDns: flag(env.LETTERDESK_MAIL_DNS, true),
    mailTimeLimitMs: int(env.LETTERDESK_MAIL_TIME_LIMIT_MS, 15_000, 'LETTERDESK_MAIL_TIME_LIMIT_MS'),
    logLevel: env.LOG_LEVEL || 'info',
    secret: env.LETTERDESK_SECRET || null,
    trustProxy: flag(env.TRUST_PROXY, false),
    metricsToken: env.METRICS_TOKEN || null,
    backupDir: env.BACKUP_DIR ? path.resolve(env.BACKUP_DIR) : null,
    backupKeep: Math.max(1, int(env.BACKUP_KEEP, 7, 'BACKUP_KEEP')),
  };
}
