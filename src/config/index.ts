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
  /**
   * PostgreSQL: connections the main thread reads with (DATABASE_POOL_SIZE,
   * 20). Each request reads its article and any earlier answer before its
   * letter is written; with 10, 256 clients waited for a connection. The
   * writer thread holds 10 more.
   */
  databasePoolSize: number;
  smtpUrl: string | null;
  dataDir: string;
  pow: boolean;
  rateLimit: boolean;
  /** SPF/DKIM/DMARC lookups for received mail (LETTERDESK_MAIL_DNS, on by default; off: no DNS, results say "none"). */
  mailDns: boolean;
  /** Hard limit in ms on each piece of CPU work on one received message (LETTERDESK_MAIL_TIME_LIMIT_MS, 15000): past it the message is quarantined. */
  mailTimeLimitMs: number;
  /**
   * Letters and received messages this node may have under way at once
   * (LETTERDESK_WRITE_QUEUE_LIMIT, 512); past it (or past what it stores in
   * a second, or once the oldest has waited a second: util/admission.ts) new
   * ones are refused with 503 and Retry-After.
   */
  writeQueueLimit: number;
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
  /** WEEKLY_REPORT_MAIL: mail the weekly letters report to the admins and editors on Monday mornings (off by default). */
  weeklyReportMail: boolean;
  /** How long things are kept, in days (null: for ever); applied once a day (src/operations/retention.ts, docs/privacy.md). */
  retention: Retention;
  /** Article feeds the operator configures (ARTICLE_FEEDS, space- or comma-separated URLs), polled beside those added in the desk. */
  articleFeeds: string[];
  /** How often each article feed is polled (FEED_POLL_SECONDS, 60). */
  feedPollSeconds: number;
  /** How long one feed request may take (FEED_TIMEOUT_SECONDS, 20). */
  feedTimeoutSeconds: number;
  /** Largest feed document read (FEED_MAX_BYTES, 5 MB); a larger one is an error shown on the feed. */
  feedMaxBytes: number;
  /** STARTTLS on the SMTP listener: PEM certificate (chain) and key files (SMTP_TLS_CERT, SMTP_TLS_KEY); null: no STARTTLS. */
  smtpTls: { certFile: string; keyFile: string } | null;
  /** SMTP_REQUIRE_TLS: refuse mail from a session that did not start TLS (only with smtpTls). */
  smtpRequireTls: boolean;
  /** DKIM signing of outgoing mail (DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE); null: unsigned. */
  dkim: { domain: string; selector: string; privateKey: string | null; privateKeyFile: string | null } | null;
};

export type Retention = {
  /** Declined letters, from their last change (RETAIN_DECLINED_DAYS, 365). */
  declinedDays: number | null;
  /** The raw mail behind letters and replies, from its arrival (RETAIN_RAW_MAIL_DAYS, 90); the letter keeps its text. */
  rawMailDays: number | null;
  /** Mail in the system tray (auto-replies, bounces, lists, spam), from its arrival (RETAIN_TRAY_DAYS, 30). */
  trayDays: number | null;
  /** Finished background jobs, from when they finished (RETAIN_JOBS_DAYS, 7). */
  jobsDays: number | null;
  /** Expired desk sessions and spent proof-of-work, past their expiry (RETAIN_EXPIRED_DAYS, 0). */
  expiredDays: number | null;
};

/** Days, or "off" (null) to keep for ever. */
function days(value: string | undefined, fallback: number, name: string): number | null {
  if (value !== undefined && value.trim().toLowerCase() === 'off') return null;
  return int(value, fallback, `${name} (days, or off)`);
}

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

function urls(value: string | undefined, name: string): string[] {
  const list = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const u of list) if (!/^https?:\/\/[^\s/]+/i.test(u)) throw new Error(`${name}: "${u}" is not an http(s) URL`);
  return [...new Set(list)];
}

function smtpTls(env: NodeJS.ProcessEnv): Config['smtpTls'] {
  const certFile = env.SMTP_TLS_CERT || '';
  const keyFile = env.SMTP_TLS_KEY || '';
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new Error('SMTP_TLS_CERT and SMTP_TLS_KEY go together: set both (PEM files) or neither');
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

function requireTls(env: NodeJS.ProcessEnv): boolean {
  const required = flag(env.SMTP_REQUIRE_TLS, false);
  if (required && !smtpTls(env)) throw new Error('SMTP_REQUIRE_TLS needs SMTP_TLS_CERT and SMTP_TLS_KEY');
  return required;
}

function dkim(env: NodeJS.ProcessEnv): Config['dkim'] {
  const domain = (env.DKIM_DOMAIN || '').trim().toLowerCase();
  const selector = (env.DKIM_SELECTOR || '').trim();
  const privateKey = env.DKIM_PRIVATE_KEY || null;
  const privateKeyFile = env.DKIM_PRIVATE_KEY_FILE ? path.resolve(env.DKIM_PRIVATE_KEY_FILE) : null;
  if (!domain && !selector && !privateKey && !privateKeyFile) return null;
  if (!domain || !selector || (!privateKey && !privateKeyFile)) throw new Error('DKIM signing needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (or DKIM_PRIVATE_KEY_FILE)');
  if (privateKey && privateKeyFile) throw new Error('set DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE, not both');
  return { domain, selector, privateKey: privateKey?.replace(/\\n/g, '\n') ?? null, privateKeyFile };
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
    databasePoolSize: int(env.DATABASE_POOL_SIZE, 20, 'DATABASE_POOL_SIZE'),
    smtpUrl: env.SMTP_URL || null,
    dataDir: path.resolve(env.LETTERDESK_DATA || 'data'),
    pow: flag(env.LETTERDESK_POW, true),
    rateLimit: flag(env.LETTERDESK_RATE_LIMIT, true),
    mailDns: flag(env.LETTERDESK_MAIL_DNS, true),
    mailTimeLimitMs: int(env.LETTERDESK_MAIL_TIME_LIMIT_MS, 15_000, 'LETTERDESK_MAIL_TIME_LIMIT_MS'),
    writeQueueLimit: Math.max(1, int(env.LETTERDESK_WRITE_QUEUE_LIMIT, 512, 'LETTERDESK_WRITE_QUEUE_LIMIT')),
    logLevel: env.LOG_LEVEL || 'info',
    secret: env.LETTERDESK_SECRET || null,
    trustProxy: flag(env.TRUST_PROXY, false),
    metricsToken: env.METRICS_TOKEN || null,
    backupDir: env.BACKUP_DIR ? path.resolve(env.BACKUP_DIR) : null,
    backupKeep: Math.max(1, int(env.BACKUP_KEEP, 7, 'BACKUP_KEEP')),
    weeklyReportMail: flag(env.WEEKLY_REPORT_MAIL, false),
    retention: {
      declinedDays: days(env.RETAIN_DECLINED_DAYS, 365, 'RETAIN_DECLINED_DAYS'),
      rawMailDays: days(env.RETAIN_RAW_MAIL_DAYS, 90, 'RETAIN_RAW_MAIL_DAYS'),
      trayDays: days(env.RETAIN_TRAY_DAYS, 30, 'RETAIN_TRAY_DAYS'),
      jobsDays: days(env.RETAIN_JOBS_DAYS, 7, 'RETAIN_JOBS_DAYS'),
      expiredDays: days(env.RETAIN_EXPIRED_DAYS, 0, 'RETAIN_EXPIRED_DAYS'),
    },
    articleFeeds: urls(env.ARTICLE_FEEDS, 'ARTICLE_FEEDS'),
    feedPollSeconds: Math.max(1, int(env.FEED_POLL_SECONDS, 60, 'FEED_POLL_SECONDS')),
    feedTimeoutSeconds: Math.max(1, int(env.FEED_TIMEOUT_SECONDS, 20, 'FEED_TIMEOUT_SECONDS')),
    feedMaxBytes: Math.max(1024, int(env.FEED_MAX_BYTES, 5 * 1024 * 1024, 'FEED_MAX_BYTES')),
    smtpTls: smtpTls(env),
    smtpRequireTls: requireTls(env),
    dkim: dkim(env),
  };
}
