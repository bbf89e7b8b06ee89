// Progress of a long command: a bar when a person watches a terminal, plain
// lines (at most one every few seconds, and the last) when output goes to a
// log or a pipe.
import cliProgress from 'cli-progress';

export type ProgressBar = { update(done: number, what?: string): void; stop(): void };

/** `unit`: what is counted (rows, messages, bytes). */
export function progressBar(label: string, total: number, unit = 'rows', stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {what}`, hideCursor: true, stream, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0, { what: '' });
    return { update: (done, what = '') => bar.update(Math.min(done, Math.max(total, 1)), { what }), stop: () => bar.stop() };
  }
  let last = 0;
  let shown = -1;
  return {
    update(done, what = '') {
      const now = Date.now();
      if (now - last < 5000 || done === shown) return;
      last = now;
      shown = done;
      stream.write(`${label}: ${done}/${total} ${unit}${what ? ` (${what})` : ''}\n`);
    },
    stop() {
      stream.write(`${label}: done\n`);
    },
  };
}
