// The outside world the desk talks to, for tests: a mail relay that keeps
// every message it accepts, and a webhook receiver that keeps every delivery
// id it is sent.
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

/** `delayMs`: how long the relay takes to answer each message (a slow relay keeps sends in flight). */
export async function relay(opts: { delayMs?: number } = {}): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        // Taken when the message is whole, answered later: as a relay that queues it and then says so.
        received.push(Buffer.concat(chunks).toString('utf8'));
        setTimeout(cb, opts.delayMs ?? 0);
      });
    },
  });
  // A sender killed mid-message (the tests kill nodes) resets its connection: that is the sender's end, not a failure here.
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`, received, close: () => new Promise((r) => server.close(() => r())) };
}

export async function receiver(opts: { delayMs?: number } = {}): Promise<{ url: string; deliveries: string[]; close(): Promise<void> }> {
  const deliveries: string[] = [];
  const server = http.createServer((req, res) => {
    deliveries.push(String(req.headers['x-letterdesk-delivery']));
    req.resume();
    // A sender killed mid-request resets its connection; the delivery counts as sent, not failed here.
    req.on('error', () => {});
    req.on('end', () => setTimeout(() => res.end('ok'), opts.delayMs ?? 0));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, deliveries, close: () => new Promise((r) => server.close(() => r())) };
}
