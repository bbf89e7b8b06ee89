// A bare SMTP client for tests that must control every byte and every
// moment: the message is dot-stuffed before the session starts, so the
// client does no work of its own while the desk reads it.
import net from 'node:net';

export type SmtpReply = { code: number; text: string };

/** The DATA payload of `raw`: lines starting with "." doubled, CRLF line ends, the final "." line. */
export function dataPayload(raw: Buffer): Buffer {
  const s = raw.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  return Buffer.from(`${s}${s.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1');
}

/** A session opened up to DATA (354): the caller writes the message when it likes, then `finish` reads the answer. */
export type OpenSession = { ready: SmtpReply; write(bytes: Buffer): void; finish(): Promise<SmtpReply> };

export async function smtpSession(port: number, env: { from: string; to: string }): Promise<OpenSession> {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = '';
  const waiters: ((r: SmtpReply) => void)[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (;;) {
      // A reply ends with a line "NNN text" (a space, not a dash, after the code).
      const m = /^(?:\d{3}-[^\r\n]*\r\n)*(\d{3}) ([^\r\n]*)\r\n/.exec(buffered);
      if (!m) break;
      buffered = buffered.slice(m[0].length);
      waiters.shift()?.({ code: Number(m[1]), text: m[0].trim() });
    }
  });
  // A connection refused or cut answers every waiting reply with code 0.
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      for (const w of waiters.splice(0)) w({ code: 0, text: 'connection closed' });
      resolve();
    }),
  );
  socket.on('error', () => {});
  const reply = () => new Promise<SmtpReply>((resolve) => (socket.destroyed ? resolve({ code: 0, text: 'connection closed' }) : waiters.push(resolve)));
  const command = async (line: string) => {
    const r = reply();
    socket.write(`${line}\r\n`);
    return r;
  };
  const end = async () => {
    socket.end();
    await closed;
  };
  const failed = async (r: SmtpReply): Promise<OpenSession> => {
    await end();
    return { ready: r, write: () => {}, finish: async () => r };
  };
  const greeting = await reply();
  if (greeting.code !== 220) return failed(greeting); // 421: the server is shutting down
  await command('EHLO client.example.net');
  const from = await command(`MAIL FROM:<${env.from}>`);
  if (from.code !== 250) return failed(from);
  const rcpt = await command(`RCPT TO:<${env.to}>`);
  if (rcpt.code !== 250) return failed(rcpt);
  const data = await command('DATA');
  if (data.code !== 354) return failed(data);
  const answer = reply();
  return {
    ready: data,
    write: (bytes) => void socket.write(bytes),
    async finish() {
      const a = await answer;
      await Promise.race([command('QUIT'), closed]);
      await end();
      return a;
    },
  };
}

export async function smtpSend(port: number, payload: Buffer, env: { from: string; to: string }): Promise<SmtpReply> {
  const session = await smtpSession(port, env);
  if (session.ready.code !== 354) return session.finish();
  session.write(payload);
  return session.finish();
}
