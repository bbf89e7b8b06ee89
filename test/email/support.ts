// Helpers for the email tests: a test desk with its SMTP listener, and a
// nodemailer transport that sends raw messages to it over loopback.
import nodemailer from 'nodemailer';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startSmtpListener, type SmtpListener } from '../../src/smtp/listener.ts';
import { readSpooled } from '../support/spool.ts';

export { inboundIdOf, readSpooled } from '../support/spool.ts';

export const LETTERS = 'letters@review.example.com';

export type MailDesk = TestApp & {
  smtp: SmtpListener;
  /** Sends a message; once it is answered 250, runs the background jobs that read it (`read: false`: leaves it spooled, unread). */
  send(raw: string | Buffer, env?: { from?: string; to?: string[] }, opts?: { read?: boolean }): Promise<SendResult>;
  /** Runs the background jobs until no stored message waits to be read. */
  readSpooled(): Promise<void>;
};
export type SendResult = { ok: true; response: string } | { ok: false; code: number | undefined; response: string };

export async function startMailDesk(dialect: 'sqlite' | 'postgres', opts: { maxBytes?: number; env?: Record<string, string> } = {}): Promise<MailDesk> {
  const app = await startTestApp(dialect, { LETTERDESK_MAIL_DNS: 'off', ...opts.env });
  const smtp = await startSmtpListener(app.ctx, { port: 0, host: '127.0.0.1', ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}) });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
  return {
    ...app,
    smtp,
    readSpooled: () => readSpooled(app),
    async send(raw, env = {}, opts = {}) {
      try {
        const info = await transport.sendMail({ envelope: { from: env.from ?? 'sender@example.net', to: env.to ?? [LETTERS] }, raw });
        if (opts.read !== false) await readSpooled(app);
        return { ok: true, response: info.response };
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; message: string };
        return { ok: false, code: e.responseCode, response: e.response ?? e.message };
      }
    },
    async close() {
      transport.close();
      await smtp.close();
      await app.close();
    },
  };
}

/** The envelope sender a real MTA would use: the From address of the message. */
export function fromOf(raw: string): string {
  const m = /^From:.*?<?([^\s<>"]+@[^\s<>"]+)>?\s*$/im.exec(raw);
  return m ? m[1]! : 'unknown@example.net';
}
