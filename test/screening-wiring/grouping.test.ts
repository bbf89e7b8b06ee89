// An article's lines of argument are grouped when its letters have grown
// enough, counted as screening left them: a letter by email names no article
// until screening finds it, in the round of the event processors that asks
// for it to be placed (its change to the letter is written at the round's end).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import { articles, mail, receive, suiteDesk } from './support.ts';

forEachDialect('grouping asked for letters screening matched', (dialect) => {
  const s = suiteDesk(dialect);

  test("an article's first letter, matched by screening, queues its grouping", async () => {
    const a = articles()[0]!;
    const r = await receive(
      s.app,
      mail('Ann Reader <ann@example.org>', 'Your article', `I read ${String(a.url)} and I disagree with it: peace talks need the neighbours at the table, not only the fighters.`, {
        date: new Date(new Date(String(a.publishedAt)).getTime() + 86_400_000),
      }),
    );
    assert.ok(r.letterId, r.reason);
    // Screening's round places it by a job, which asks for the grouping.
    await s.app.drainEvents();
    while ((await s.app.desk.background.runJobs()) > 0);
    const row = await s.app.ctx.db.read.selectFrom('letters').select(['article_id']).where('id', '=', r.letterId!).executeTakeFirstOrThrow();
    assert.equal(row.article_id, a.id, 'screening matched the article');
    const jobs = await s.app.ctx.db.read.selectFrom('jobs').select(['payload']).where('kind', '=', 'group_insights').execute();
    assert.deepEqual(
      jobs.map((j) => s.app.ctx.db.dialect.readJson<{ articleId: string }>(j.payload, { articleId: '' }).articleId),
      [a.id],
      'a grouping is queued for the article of its first letter',
    );
  });
});
