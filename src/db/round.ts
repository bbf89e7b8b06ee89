// What the event processors' round shares (events/dispatcher.ts): one
// transaction of many small writes, where on PostgreSQL each statement is a
// round trip. Rows the processors read and never write are read once per
// round, for all the round's letters at once, and steps whose effect lasts
// the transaction are taken once.
import { appendedNow, atBatchEnd } from './batch.ts';
import type { Db } from './connect.ts';
import type { Trx } from './executor.ts';
import { findArticlesByIds, type Article } from './repositories/articles.ts';
import { changeLetter, findLetterById, relabelCampaign, relabels, type Letter, type LetterChanges, type Relabel } from './repositories/letters.ts';
import { listWebhooks, type Webhook } from './repositories/webhooks.ts';
import { writerContacts, type WriterContact } from './repositories/writer-mail.ts';

export type Round = {
  /**
   * The letter as the round has left it so far: its row at the round's start,
   * with the changes made through `updateLetter` and `relabelCampaign`.
   */
  letter(id: string): Promise<Letter | null>;
  /** Changes a letter (without a version check; at the round's end, see changeLetter) and the round's copy of it. */
  updateLetter(id: string, changes: LetterChanges): Promise<void>;
  /** Relabels a campaign (see relabelCampaign; at the round's end too) and the round's copies of its letters. */
  relabelCampaign(relabel: Relabel): Promise<void>;
  article(id: string): Promise<Article | null>;
  /** The enabled webhooks. */
  webhooks(): Promise<Webhook[]>;
  /** A writer's address and name; writers are not changed by the event processors. */
  writer(id: string): Promise<WriterContact | null>;
  /**
   * Runs `step` once per round under `key`: a step whose effect lasts the
   * transaction (a lock taken, a row made if missing, a change stamped). In
   * a round with savepoints, every time, because a savepoint rolled back
   * undoes what was done inside it.
   */
  once(key: string, step: () => Promise<void>): Promise<void>;
  /**
   * Runs `step` once at the round's end under `key`, after the rows and
   * letters' changes waiting for it are written: a decision over what the
   * whole round did. In a round with savepoints, now.
   */
  atEnd(key: string, step: () => Promise<void>): Promise<void>;
  /**
   * `read`'s answer, kept for the rest of the round under `key`: what the
   * round's letters need, read for all of them at once. The caller keeps it
   * in step with its own later writes (it is a mutable value when it needs
   * to be). In a round with savepoints, read every time, for the same reason
   * as `once`.
   */
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
  /**
   * Rows of the round's letters, read for all of them at once by `read` (a
   * map by letter id) and kept under `key`; the answer holds `letterId`'s row
   * if it has one. The map is the caller's to keep in step with its own
   * writes. A letter outside the round, or a round with savepoints: read alone.
   */
  lettersRows<T>(key: string, letterId: string, read: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>>;
  /** The same for rows by article, for the articles the round's letters named when it began. */
  articlesRows<T>(key: string, articleId: string, read: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>>;
};

/** `savepoints`: the round undoes a failing processor alone; then nothing is kept from one event to the next. */
export function newRound(db: Db, trx: Trx, savepoints: boolean, letters: ReadonlyMap<string, Letter>): Round {
  const now = new Map<string, Letter>(letters);
  const kept = new Map<string, Promise<unknown>>();
  const taken = new Set<string>();
  const ending = new Set<string>();
  const articleIds = [...new Set([...letters.values()].flatMap((l) => (l.articleId ? [l.articleId] : [])))];
  const writerIds = [...new Set([...letters.values()].map((l) => l.writerId))];
  /** `read` for all of `known` once (an id outside them, or in a round with savepoints: alone). */
  const rowsOf = <T>(key: string, id: string, known: readonly string[], read: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> =>
    !savepoints && known.includes(id) ? shared(key, () => read([...known])) : read([id]);
  const shared = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (savepoints) return read();
    let v = kept.get(key) as Promise<T> | undefined;
    if (!v) kept.set(key, (v = read()));
    return v;
  };
  return {
    async letter(id) {
      const known = savepoints ? undefined : now.get(id);
      if (known) return known;
      // A letter the round has no copy of (outside it, or a round with savepoints) must carry the changes and relabels still waiting.
      await appendedNow(trx, 'letters');
      const read = await findLetterById(db, id, trx);
      if (read && !savepoints) now.set(id, read);
      return read;
    },
    async updateLetter(id, changes) {
      await changeLetter(db, trx, id, changes);
      const known = now.get(id);
      if (known) now.set(id, { ...known, ...changes, updatedAt: new Date() });
    },
    async relabelCampaign(relabel) {
      await relabelCampaign(db, trx, relabel);
      for (const [id, l] of now) if (relabels(relabel, id, l.campaignId)) now.set(id, { ...l, campaignId: relabel.campaignId });
    },
    async article(id) {
      return (await rowsOf('articles', id, articleIds, (ids) => findArticlesByIds(db, ids, trx))).get(id) ?? null;
    },
    webhooks: () => shared('webhooks', () => listWebhooks(db, trx)),
    async writer(id) {
      return (await rowsOf('writers', id, writerIds, (ids) => writerContacts(db, trx, ids))).get(id) ?? null;
    },
    async atEnd(key, step) {
      if (savepoints) return step();
      if (ending.has(key)) return;
      ending.add(key);
      await atBatchEnd(trx, () => step());
    },
    async once(key, step) {
      if (!savepoints && taken.has(key)) return;
      await step();
      taken.add(key);
    },
    shared,
    lettersRows: (key, letterId, read) => rowsOf(key, letterId, [...letters.keys()], read),
    articlesRows: (key, articleId, read) => rowsOf(key, articleId, articleIds, read),
  };
}
