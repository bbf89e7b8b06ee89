// What the desk counts for monitoring (Prometheus, prom-client). Each thread
// that does the work keeps its own registry (the main thread: the doors and
// HTTP; the writer thread: screening, outgoing mail, webhooks, jobs,
// backups); GET /metrics gathers them (scrape.ts). Figures read from the
// database (the queue, the jobs) are gauges collected at scrape time.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from a few milliseconds (a form letter on a quiet desk) to a slow mail. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type Metrics = ReturnType<typeof createMetrics>;

/** `process`: also the process's own figures (CPU, memory, event loop lag); one thread per process says them. */
export function createMetrics(opts: { process?: boolean } = {}) {
  const registry = new Registry();
  if (opts.process) collectDefaultMetrics({ register: registry, prefix: 'letterdesk_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: 'letterdesk_http_requests_total', help: 'HTTP requests answered, by method, route (its pattern) and status.', labelNames: ['method', 'route', 'status'] as const, registers }),
    httpSeconds: new Histogram({ name: 'letterdesk_http_request_seconds', help: 'Time to answer an HTTP request, by route (its pattern).', labelNames: ['route'] as const, buckets: LATENCY_BUCKETS, registers }),
    lettersReceived: new Counter({ name: 'letterdesk_letters_received_total', help: 'Letters taken in, by door (form, api, email, …); a retried submission that found its letter is not counted again.', labelNames: ['door'] as const, registers }),
    intakeSeconds: new Histogram({ name: 'letterdesk_intake_seconds', help: 'Time to take a letter in, from its submission to its durable commit, by door.', labelNames: ['door'] as const, buckets: LATENCY_BUCKETS, registers }),
    smtpAnswers: new Counter({ name: 'letterdesk_smtp_answers_total', help: 'Answers the SMTP listener gave to messages (250, 451, 550, 552, …).', labelNames: ['code'] as const, registers }),
    mailOut: new Counter({ name: 'letterdesk_mail_out_total', help: 'Outgoing mail by outcome: sent, kept (no relay), failed (refused for good), retry, uncertain (a node stopped mid-send).', labelNames: ['outcome'] as const, registers }),
    webhookDeliveries: new Counter({ name: 'letterdesk_webhook_deliveries_total', help: 'Webhook deliveries by outcome: delivered, retry, failed (last attempt), uncertain.', labelNames: ['outcome'] as const, registers }),
    screeningSeconds: new Histogram({ name: 'letterdesk_screening_seconds', help: 'Time to screen one letter (article, spam, campaign, policy).', buckets: LATENCY_BUCKETS, registers }),
    jobsRun: new Counter({ name: 'letterdesk_jobs_run_total', help: 'Background jobs run, by kind and outcome (done, retry, failed).', labelNames: ['kind', 'outcome'] as const, registers }),
    backups: new Counter({ name: 'letterdesk_backups_total', help: 'Scheduled backups by outcome (done, failed).', labelNames: ['outcome'] as const, registers }),
    backupLastSuccess: new Gauge({ name: 'letterdesk_backup_last_success_timestamp_seconds', help: 'When the last scheduled backup succeeded (Unix time).', registers }),
    backupBytes: new Gauge({ name: 'letterdesk_backup_last_size_bytes', help: 'Size of the last successful backup.', registers }),
    retentionRemoved: new Counter({ name: 'letterdesk_retention_removed_total', help: 'Rows removed by the retention policy, by what they were.', labelNames: ['what'] as const, registers }),
  };
}
