// What the event processors' round shares (events/dispatcher.ts): one
// transaction of many small writes, where on PostgreSQL each statement is a
// round trip. Rows the processors read and never write are read once per
// round, and steps whose effect lasts the transaction are taken once.
import type { Db } from './connect.ts';
import type { Trx } from './executor.ts';
import { findArticleById, type Article } from './repositories/articles.ts';
import { listWebhooks, type Webhook } from './repositories/webhooks.ts';

export type Round = {
  article(id: string): Promise<Article | null>;
  /** The enabled webhooks. */
  webhooks(): Promise<Webhook[]>;
  /**
   * Runs `step` once per round under `key`: a step whose effect lasts the
   * transaction (a lock taken, a row made if missing, a change stamped). In
   * a round with savepoints, every time, because a savepoint rolled back
   * undoes what was done inside it.
   */
  once(key: string, step: () => Promise<void>): Promise<void>;
};

/** `savepoints`: the round undoes a failing processor alone; then nothing is kept from one event to the next. */
export function newRound(db: Db, trx: Trx, savepoints: boolean): Round {
  const articles = new Map<string, Promise<Article | null>>();
  let hooks: Promise<Webhook[]> | null = null;
  const taken = new Set<string>();
  return {
    article(id) {
      if (savepoints) return findArticleById(db, id, trx);
      let a = articles.get(id);
      if (!a) articles.set(id, (a = findArticleById(db, id, trx)));
      return a;
    },
    webhooks: () => (savepoints ? listWebhooks(db, trx) : (hooks ??= listWebhooks(db, trx))),
    async once(key, step) {
      if (!savepoints && taken.has(key)) return;
      await step();
      taken.add(key);
    },
  };
}
