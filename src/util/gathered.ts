// Calls that arrive while one is under way wait, then go together: for a
// statement about one row that many callers ask for at once, each a round
// trip on PostgreSQL (a mail's claim or mark, a transaction each as the job
// runner's places deliver acknowledgements; an Idempotency-Key's lookup, one
// per letter at the door).

/**
 * Returns a function of one key (and its argument) whose calls are answered
 * by `run`, called with every call waiting (at most `max`) once the call
 * under way is answered; the first call runs at once. `run` answers by key.
 * A key asked twice in one batch is answered for the first asker only (the
 * others get undefined), as the second of two takes would find nothing;
 * with `shared`, a read, every asker hears the answer. `atOnce`: batches
 * under way at most (more than one, so that a statement that hangs holds
 * only its own batch).
 */
export function gathered<K, A, R>(run: (calls: { key: K; arg: A }[]) => Promise<Map<K, R>>, opts: { max?: number; shared?: boolean; atOnce?: number } = {}): (key: K, arg: A) => Promise<R | undefined> {
  const max = opts.max ?? 200;
  const atOnce = opts.atOnce ?? 1;
  type Call = { key: K; arg: A; resolve(r: R | undefined): void; reject(e: unknown): void };
  const waiting: Call[] = [];
  let running = 0;
  async function drain(): Promise<void> {
    running++;
    while (waiting.length) {
      const batch = waiting.splice(0, max);
      const first = new Map<K, Call>();
      for (const c of batch) if (!first.has(c.key)) first.set(c.key, c);
      try {
        const answers = await run([...first.values()].map((c) => ({ key: c.key, arg: c.arg })));
        for (const c of batch) c.resolve(opts.shared || first.get(c.key) === c ? answers.get(c.key) : undefined);
      } catch (err) {
        for (const c of batch) c.reject(err);
      }
    }
    running--;
  }
  return (key, arg) =>
    new Promise<R | undefined>((resolve, reject) => {
      waiting.push({ key, arg, resolve, reject });
      if (running < atOnce) void drain();
    });
}
