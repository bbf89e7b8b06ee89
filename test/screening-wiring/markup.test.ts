// Mail cannot be refused as the form refuses active markup: a letter by email
// whose text or sender name holds it is flagged with the reason, and its text
// is kept as written (shown escaped everywhere).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../support/databases.ts';
import type { TestApp } from '../support/app.ts';
import { letter, mail, receive, runBackground, startDesk } from './support.ts';

forEachDialect('active markup in letters by email', (dialect) => {
  let app: TestApp;
  before(async () => (app = await startDesk(dialect)));
  after(() => app.close());

  test('flagged with the reason, text kept; ordinary comparisons are not markup', async () => {
    const cases = [
      { from: 'Mal <mal@example.net>', body: 'A fine piece. <img src=x onerror=alert(document.cookie)> Thanks.', flagged: /the letter/ },
      { from: '"<svg onload=alert(1)>" <svg@example.net>', body: 'I agree with every word of the article on the harbour bridge.', flagged: /the writer's name/ },
      { from: 'Ada <ada@example.net>', body: 'If fines < profits and profits > 0, firms will pay the fines and carry on.', flagged: null },
    ];
    for (const c of cases) {
      const r = await receive(app, mail(c.from, 'The article', c.body));
      assert.ok(r.letterId, r.reason);
      await runBackground(app);
      const l = await letter(app, r.letterId);
      if (c.flagged) {
        assert.ok(l.screening.flags.includes('active_markup'), `${c.from}: ${JSON.stringify(l.screening.flags)}`);
        assert.match(l.screening.flagReasons.active_markup, c.flagged);
        assert.ok(l.body.includes(c.body.split(' ')[2]!), 'the text is kept as written');
      } else assert.ok(!l.screening.flags.includes('active_markup'), JSON.stringify(l.screening));
    }
  });
});
