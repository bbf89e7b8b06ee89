// The SMTP listener for the letters address (smtp-server). It takes mail for
// LETTERS_ADDRESS only (550 for anyone else), refuses oversized messages
// (552: announced with SIZE, checked at MAIL FROM and by counting the bytes
// streamed), and answers 250 only once the raw message is committed to the
// database; a database fault answers 451 so the sending server retries. The
// message is read after the answer, in the background (inbound/spool.ts).
//
// No AUTH: in production letterdesk usually sits behind the publication's
// MTA (Postfix, Exim, a provider), which rate limits and relays only the
// letters address to this port (2525 by default, on loopback unless
// SMTP_HOST says otherwise). STARTTLS is offered when a certificate and key
// are configured (SMTP_TLS_CERT, SMTP_TLS_KEY: for a listener reached over a
// network, or as the MX itself), re-read on `reloadTls` (SIGHUP, after a
// renewal); SMTP_REQUIRE_TLS then refuses mail from a session without it.
import fs from 'node:fs';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { deskContext, type AppContext } from '../context.ts';
import { spoolMail } from '../inbound/index.ts';
import { busyOf } from '../util/busy.ts';

export type SmtpListener = {
  port: number;
  host: string;
  /** Stops taking new sessions (they get 421), waits up to `ms` for those under way to end, then closes. */
  drain(ms: number): Promise<void>;
  /** Whether STARTTLS is offered. */
  tls: boolean;
  /** Reads the certificate and key files again (after a renewal); throws, keeping the old ones, when they cannot be read. */
  reloadTls(): void;
  close(): Promise<void>;
};
export type SmtpOptions = { port?: number; host?: string; maxBytes?: number };

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The letters address, also with a +tag (letters+campaign@…). */
export function isLettersAddress(address: string, lettersAddress: string): boolean {
  const a = address.trim().toLowerCase();
  const [local, domain] = lettersAddress.toLowerCase().split('@');
  if (a === lettersAddress.toLowerCase()) return true;
  const m = /^([^@+]+)\+[^@]*@(.+)$/.exec(a);
  return !!m && m[1] === local && m[2] === domain;
}

/** The configured certificate and key, or a clear error naming the file that cannot be read. */
function readTls(tls: NonNullable<AppContext['config']['smtpTls']>): { cert: Buffer; key: Buffer } {
  const read = (file: string, name: string) => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new Error(`${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  };
  return { cert: read(tls.certFile, 'SMTP_TLS_CERT'), key: read(tls.keyFile, 'SMTP_TLS_KEY') };
}

export async function startSmtpListener(ctx: AppContext, opts: SmtpOptions = {}): Promise<SmtpListener> {
  const maxBytes = opts.maxBytes ?? ctx.config.smtpMaxBytes;
  const lettersAddress = ctx.publication.lettersAddress || ctx.config.lettersAddress;
  const log = ctx.log.child({ component: 'smtp' });
  // Every refusal and acceptance, counted by code for monitoring.
  const refuse = (code: number, message: string) => {
    ctx.metrics.smtpAnswers.inc({ code: String(code) });
    return smtpError(code, message);
  };
  const tls = ctx.config.smtpTls;
  const requireTls = Boolean(tls && ctx.config.smtpRequireTls);
  // Sessions open now, by id (smtp-server gives a session a new object after each message); while draining, new ones are told to come back later (421).
  const open = new Set<string>();
  let draining = false;
  let drained: (() => void) | null = null;

  const server = new SMTPServer({
    name: lettersAddress.split('@')[1] || 'localhost',
    banner: 'letterdesk: mail for the letters address only',
    size: maxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { secure: false, ...readTls(tls) } : {}),
    logger: false,
    maxClients: 200,
    socketTimeout: 60_000,
    // Behind the publication's MTA the peer's name says nothing; looking it up costs each connection a DNS round trip.
    disableReverseLookup: true,
    onConnect(session, cb) {
      if (draining) return cb(refuse(421, '4.3.2 this server is shutting down; please try again later'));
      open.add(session.id);
      cb();
    },
    onClose(session) {
      // A session refused at connect (421) was never counted.
      if (open.delete(session.id) && open.size === 0) drained?.();
    },
    onMailFrom(_address, session, cb) {
      if (requireTls && !session.secure) return cb(refuse(530, '5.7.0 Must issue a STARTTLS command first'));
      // Past what the desk can store in time, say so before the message is sent and read (the write queue would refuse it after).
      const busy = ctx.db.thread?.wouldShed(deskContext(ctx));
      if (busy) return cb(refuse(451, `4.3.2 too busy to take the message now; please try again in ${busy.retryAfterSeconds} seconds`));
      cb();
    },
    onRcptTo(address, _session, cb) {
      if (isLettersAddress(address.address, lettersAddress)) return cb();
      cb(refuse(550, `5.1.1 <${address.address}>: this server takes mail for ${lettersAddress} only`));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Past the limit the rest is read and dropped; the server answers 552.
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => cb(refuse(451, `4.3.0 could not read the message: ${err.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) return cb(refuse(552, `5.3.4 message exceeds the limit of ${maxBytes} bytes`));
        const raw = Buffer.concat(chunks, bytes);
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          remoteIp: session.remoteAddress || null,
          helo: session.hostNameAppearsAs || null,
        };
        // 250 once the message is stored; it is read afterwards (inbound/spool.ts).
        spoolMail(ctx, raw, envelope, 'smtp').then(
          (r) => {
            log.info({ inboundId: r.id, duplicate: r.duplicate, bytes }, 'mail received');
            ctx.metrics.smtpAnswers.inc({ code: '250' });
            cb(null, r.duplicate ? `2.0.0 already received as ${r.id}` : `2.0.0 queued as ${r.id}`);
          },
          (err: Error) => {
            log.error({ err: { message: err.message } }, 'mail not stored; sender told to retry');
            // Shed (past what the desk can store now): 4.3.2, "system not accepting messages", and when.
            const busy = busyOf(err);
            if (busy) cb(refuse(451, `4.3.2 too busy to take the message now; please try again in ${busy.retryAfterSeconds} seconds`));
            else cb(refuse(451, '4.3.0 temporary failure storing the message; please try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => log.error({ err: { message: err.message } }, 'smtp server error'));

  const host = opts.host ?? ctx.config.smtpHost;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port ?? ctx.config.smtpPort, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? ctx.config.smtpPort);
  log.info({ host, port, address: lettersAddress, starttls: Boolean(tls), requireTls }, 'smtp listening');
  return {
    port,
    host,
    tls: Boolean(tls),
    reloadTls() {
      if (!tls) return;
      server.updateSecureContext(readTls(tls));
      log.info({}, 'smtp certificate reloaded');
    },
    async drain(ms) {
      draining = true;
      if (open.size > 0) {
        log.info({ sessions: open.size }, 'smtp draining: new sessions get 421');
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, ms).unref();
        });
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

