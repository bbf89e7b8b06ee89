// `letterdesk mail reprocess`: runs the pipeline again over stored raw
// messages after a parser upgrade. It never makes a second letter (intake
// de-duplicates on the message key), never discards a letter, and never
// overwrites what editors did: a letter that was edited or moved on from
// `new` keeps its text, and the new reading is only recorded. Each change is
// written to the message's history (and to the letter's audit log).
import type { AppContext } from '../context.ts';
import { recordEvent } from '../db/repositories/events.ts';
import { appendInboundHistory, countInboundSince, findInbound, findInboundWithRaw, listInbound, readInboundRaw, replaceLetterText, settledMeanwhile, settleInbound, type HistoryEntry, type InboundMessage } from '../db/repositories/inbound.ts';
import { findLetterById } from '../db/repositories/letters.ts';
import type { InboundResult } from '../mail/index.ts';
import { countWords } from '../letters/text-rules.ts';
import { readMail } from './options.ts';
import { decompressRaw, RAW_PRUNED } from './raw.ts';
import { classifyStored, settle, type Settled } from './settle.ts';
import { ACK_WINDOW_MS, finishPending } from './spool.ts';

/** `rawGone`: messages whose raw mail the retention policy removed, left as they are. */
export type ReprocessReport = { examined: number; changed: number; lettersCreated: number; textUpdated: number; editsKept: number; rawGone: number; errors: { id: string; error: string }[] };

const UNTOUCHED = new Set(['new', 'unconfirmed']);

/** `onProgress(done, total)` after each batch, for a progress bar. */
export async function reprocessInbound(ctx: AppContext, opts: { since?: Date; batch?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<ReprocessReport> {
  const report: ReprocessReport = { examined: 0, changed: 0, lettersCreated: 0, textUpdated: 0, editsKept: 0, rawGone: 0, errors: [] };
  const total = opts.onProgress ? await countInboundSince(ctx.db, opts.since) : 0;
  let afterId: string | undefined;
  for (;;) {
    const rows = await listInbound(ctx.db, { since: opts.since, afterId, oldestFirst: true, limit: opts.batch ?? 200 });
    if (!rows.length) break;
    for (const row of rows) {
      afterId = row.id;
      report.examined += 1;
      try {
        await reprocessOne(ctx, row, report);
      } catch (err) {
        report.errors.push({ id: row.id, error: (err as Error).message.slice(0, 300) });
      }
    }
    opts.onProgress?.(report.examined, Math.max(total, report.examined));
  }
  return report;
}

async function reprocessOne(ctx: AppContext, row: InboundMessage, report: ReprocessReport): Promise<void> {
  const { db } = ctx;
  // Never read yet (spooled, or its settling failed): read and settled as the background job does it, once
  // (it reads the raw message itself; retention never prunes a message still waiting).
  if (row.status === 'received') {
    const out = await finishPending(ctx, row.id);
    if (out) {
      report.changed += 1;
      if (out.letterId) report.lettersCreated += 1;
    }
    return;
  }
  const stored = await readInboundRaw(db, row.id);
  if (!stored) return;
  if (stored.compression === RAW_PRUNED) {
    report.rawGone += 1;
    return;
  }
  // Read as before machine mail was left unextracted: a letter the classifier now calls
  // machine mail is compared with the text read out of it, and a tray item may be settled anew.
  const parsed: InboundResult = await readMail(ctx, await decompressRaw(stored.compression, stored.raw), { extractAlways: true });
  const decided = await classifyStored(ctx, row, parsed);
  const changes: HistoryEntry['changes'] = {};
  const note = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  };
  note('kind', row.kind, decided.kind);
  note('reason', row.reason, decided.reason);
  const entry = (): HistoryEntry => ({ at: new Date().toISOString(), by: 'reprocess', changes });

  // In the tray or quarantine: settle anew (a letter now goes through intake, once).
  if ((row.status === 'tray' || row.status === 'quarantined') && !row.letterId) {
    const acknowledge = Date.now() - row.receivedAt.getTime() < ACK_WINDOW_MS;
    const out = await settle(ctx, row, parsed, { acknowledge });
    note('status', row.status, out.status);
    if (out.letterId && !row.letterId) report.lettersCreated += 1;
    if (Object.keys(changes).length) {
      await db.writes.run((trx) => appendInboundHistory(db, trx, row.id, entry()));
      report.changed += 1;
    }
    return;
  }

  if (row.status === 'letter' && row.letterId && parsed.ok) {
    const letter = await findLetterById(db, row.letterId);
    if (!letter) return;
    const textChanged = letter.body !== parsed.body || letter.original !== parsed.original;
    const untouched = letter.editedBody === null && UNTOUCHED.has(letter.status);
    if (textChanged && parsed.body.trim()) {
      if (untouched) {
        note('letter.body', letter.body, parsed.body);
        report.textUpdated += 1;
      } else {
        changes['letter.body'] = { from: '(kept: editors have worked on this letter)', to: parsed.body };
        report.editsKept += 1;
      }
    }
    if (!Object.keys(changes).length) return;
    await db.writes.run(async (trx) => {
      if (textChanged && untouched && parsed.body.trim()) {
        await replaceLetterText(db, trx, { id: letter.id, name: letter.name, town: letter.town, subject: letter.subject, body: parsed.body, original: parsed.original, wordCount: countWords(parsed.body) });
      }
      // The letter stays a letter (editors decide); the new reading is recorded on both sides.
      await settleInbound(db, trx, row.id, { kind: decided.kind, reason: decided.reason, status: 'letter', quarantineReason: null, spamScore: decided.spamScore, letterId: letter.id, attachments: parsed.attachments, warnings: parsed.warnings });
      await appendInboundHistory(db, trx, row.id, entry());
      await recordEvent(db, trx, { letterId: letter.id, actor: 'system:reprocess', action: 'reprocessed', data: { inboundId: row.id, changes } });
    });
    report.changed += 1;
    return;
  }

  // Thread replies and letters whose message no longer parses: only the reading is recorded.
  if (Object.keys(changes).length) {
    await db.writes.run((trx) => appendInboundHistory(db, trx, row.id, entry()));
    report.changed += 1;
  }
}

export type ReleaseOutcome = { ok: true; letterId: string } | { ok: false; status: 404 | 409 | 410 | 422; error: string };

/**
 * An editor takes a message out of the system tray into the queue: a letter
 * the spam check misjudged, or one mistaken for an auto-reply. It goes through
 * intake like any letter (once: intake de-duplicates on the message key).
 * Only a message the classifier had called spam is acknowledged: an
 * auto-reply, bounce or list message is never answered, even when released.
 */
export async function releaseFromTray(ctx: AppContext, id: string, by: string): Promise<ReleaseOutcome> {
  const { db } = ctx;
  const found = await findInboundWithRaw(db, id);
  if (!found) return { ok: false, status: 404, error: 'No such message.' };
  const { message: row, stored } = found;
  if (row.status !== 'tray') return { ok: false, status: 409, error: `This message is ${row.status === 'letter' ? 'a letter already' : row.status}; only tray items can be released.` };
  // The letter is read out of the raw mail now: the tray keeps no writer's text of machine
  // mail. Retention deletes tray rows whole, so a tray item without its raw mail is an oddity.
  if (stored.compression === RAW_PRUNED) return { ok: false, status: 410, error: 'The raw message is no longer kept (RETAIN_RAW_MAIL_DAYS): there is no text to read a letter from.' };
  const parsed = await readMail(ctx, await decompressRaw(stored.compression, stored.raw), { extractAlways: true });
  let out: Settled;
  try {
    out = await settle(ctx, row, parsed, { acknowledge: row.kind === 'spam', releasedBy: by });
  } catch (err) {
    if (!settledMeanwhile(err)) throw err;
    // Released by another editor (or settled otherwise) meanwhile: the same answer as theirs.
    const now = await findInbound(db, id);
    if (now?.status === 'letter' && now.letterId) return { ok: true, letterId: now.letterId };
    return { ok: false, status: 409, error: `This message is ${now?.status ?? 'gone'}; only tray items can be released.` };
  }
  if (!out.letterId) return { ok: false, status: 422, error: `It cannot become a letter: ${out.reason}` };
  await db.writes.run((trx) => appendInboundHistory(db, trx, row.id, { at: new Date().toISOString(), by, changes: { status: { from: 'tray', to: 'letter' } } }));
  return { ok: true, letterId: out.letterId };
}
