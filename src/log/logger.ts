// Structured logs (pino). Personal data stays out: authorization headers,
// cookies, addresses and letter text are redacted wherever they appear.
import pino, { type Logger } from 'pino';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'letterdesk' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.email', '*.to', '*.text', '*.body', '*.name', 'email', 'to', 'text', 'body'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Writes an already formatted log line (from the writer thread) where `log` writes its own. */
export function logLineWriter(log: Logger): (line: string) => void {
  const stream = (log as unknown as Record<symbol, pino.DestinationStream | undefined>)[pino.symbols.streamSym];
  return (line) => stream?.write(line.endsWith('\n') ? line : `${line}\n`);
}
