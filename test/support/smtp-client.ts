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

export async function smtpSend(port: number, payload: Buffer, env: { from: string; to: string }): Promise<SmtpReply> {
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
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  const reply = () => new Promise<SmtpReply>((resolve) => waiters.push(resolve));
  const command = async (line: string) => {
    const r = reply();
    socket.write(`${line}\r\n`);
    return r;
  };
  try {
    await reply(); // greeting
    await command('EHLO client.example.net');
    const from = await command(`MAIL FROM:<${env.from}>`);
    if (from.code !== 250) return from;
    const rcpt = await command(`RCPT TO:<${env.to}>`);
    if (rcpt.code !== 250) return rcpt;
    const data = await command('DATA');
    if (data.code !== 354) return data;
    const done = reply();
    socket.write(payload);
    const answer = await done;
    await Promise.race([command('QUIT'), closed]);
    return answer;
  } finally {
    socket.end();
    await closed;
  }
}
