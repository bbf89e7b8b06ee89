// Archives on disk: a record per line, gzip-compressed. A backup is written
// beside its final name and renamed into place once complete and on disk, so
// a file with the final name is always a whole archive.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { ArchiveError, lineRecord, recordLine, type ArchiveRecord } from './records.ts';

export async function writeArchiveFile(file: string, records: AsyncIterable<ArchiveRecord>): Promise<{ bytes: number }> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  async function* lines() {
    for await (const r of records) yield `${recordLine(r)}\n`;
  }
  try {
    await pipeline(Readable.from(lines()), zlib.createGzip({ level: 6 }), fs.createWriteStream(partial, { flags: 'wx' }));
    const fd = fs.openSync(partial, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  return { bytes: fs.statSync(file).size };
}

export async function* readArchiveFile(file: string): AsyncGenerator<ArchiveRecord> {
  if (!fs.existsSync(file)) throw new ArchiveError(`no such file: ${file}`);
  const gunzip = zlib.createGunzip();
  const input = fs.createReadStream(file).pipe(gunzip);
  // A stream error (not gzip, truncated) surfaces through the line reader.
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of lines) {
      if (!line) continue;
      yield lineRecord(line, first);
      first = false;
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const code = (err as { code?: string }).code ?? '';
    const message = (err as Error).message;
    if (/incorrect header check/i.test(message)) throw new ArchiveError('not a letterdesk archive (not gzip-compressed)');
    if (code.startsWith('Z_') || /unexpected end of file/i.test(message)) throw new ArchiveError('the archive is cut off or damaged (its compression does not check out): nothing was restored');
    throw err;
  } finally {
    lines.close();
    input.destroy();
  }
  if (first) throw new ArchiveError('the archive is empty');
}
