// The `letterdesk` command.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.ts';
import { openContext } from '../bootstrap.ts';
import { createApiToken } from '../server/auth.ts';
import { importArticlesJsonl } from '../articles/import-jsonl.ts';
import { progressBar, type ProgressBar } from './progress.ts';
import { ROLES, type Role } from '../letters/lifecycle.ts';
import { createLogger } from '../log/logger.ts';
import { start } from './start.ts';
import { backupCommand, migrateCommand, restoreCommand } from './archive.ts';
import { eraseWriter, exportWriter } from '../publishing/writer-data.ts';

const USAGE = `letterdesk — a letters desk for publications

Usage:
  letterdesk start [--no-demo]                 HTTP, SMTP and background jobs in one process
  letterdesk token create --role ROLE [--name N]   print a new API token (admin|editor|viewer|inbound)
  letterdesk articles import FILE.jsonl        add or update articles, one JSON object per line
  letterdesk mail reprocess [--since DATE]     run stored mail through the (upgraded) parser again
  letterdesk writer export EMAIL               print everything stored about a writer (JSON)
  letterdesk writer erase EMAIL                erase a writer (published letters stay, as "Name withheld")
  letterdesk backup FILE                       a consistent backup while the desk runs (a portable archive)
  letterdesk restore FILE [--force]            restore a backup into an empty data folder or database
  letterdesk migrate --to postgres://…         copy the desk into an empty PostgreSQL database

Settings come from the environment: PORT, HOST, SMTP_PORT, LETTERS_ADDRESS,
PUBLIC_URL, DATABASE_URL, SMTP_URL, LETTERDESK_DATA, LETTERDESK_POW,
LETTERDESK_RATE_LIMIT (see README.md).`;

function fail(message: string): never {
  console.error(`letterdesk: ${message}`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  const config = loadConfig();
  // Commands other than start log only warnings, so their output is just the answer.
  const quiet = createLogger(process.env.LOG_LEVEL ?? 'warn');
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: argv.slice(1), options: { 'no-demo': { type: 'boolean', default: false } } });
      return start(config, { demo: !values['no-demo'] });
    }
    case 'token': {
      if (sub !== 'create') fail('usage: letterdesk token create --role admin|editor|viewer|inbound [--name N]');
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string' }, name: { type: 'string' } } });
      if (!values.role || !ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      const ctx = await openContext(config, { log: quiet });
      const { token } = await createApiToken(ctx, values.role as Role, values.name ?? `${values.role} token`);
      console.log(token);
      await ctx.db.close();
      return;
    }
    case 'articles': {
      if (sub !== 'import' || !rest[0]) fail('usage: letterdesk articles import FILE.jsonl');
      const ctx = await openContext(config, { log: quiet });
      let bar: ProgressBar | null = null;
      const report = await importArticlesJsonl(ctx.db, rest[0], (done, total) => (bar ??= progressBar('articles import', total, 'bytes')).update(done)).finally(() => bar?.stop());
      console.log(`${report.created} created, ${report.updated} updated, ${report.errors.length} refused`);
      for (const e of report.errors) console.log(`  line ${e.line}: ${e.error}`);
      await ctx.db.close();
      if (report.errors.length) process.exitCode = 1;
      return;
    }
    case 'writer': {
      if ((sub !== 'export' && sub !== 'erase') || !rest[0]) fail('usage: letterdesk writer export|erase EMAIL');
      const ctx = await openContext(config, { log: quiet });
      try {
        if (sub === 'export') {
          const data = await exportWriter(ctx, rest[0]);
          if (!data) fail('no writer with that address');
          console.log(JSON.stringify(data, null, 2));
        } else {
          const r = await eraseWriter(ctx, rest[0]);
          if (!r.found) fail('no writer with that address');
          console.log(`erased: ${r.published} published letters kept as "Name withheld", ${r.anonymised} anonymised, ${r.deleted} deleted`);
        }
      } finally {
        await ctx.db.close();
      }
      return;
    }
    case 'mail': {
      if (sub !== 'reprocess') fail('usage: letterdesk mail reprocess [--since DATE]');
      const { values } = parseArgs({ args: rest, options: { since: { type: 'string' } } });
      const since = values.since ? new Date(values.since) : undefined;
      if (since && Number.isNaN(since.getTime())) fail(`--since must be a date (2026-11-01 or an ISO time), got "${values.since}"`);
      const ctx = await openContext(config, { log: quiet });
      const { reprocessInbound } = await import('../inbound/reprocess.ts');
      let bar: ProgressBar | null = null;
      const r = await reprocessInbound(ctx, { ...(since ? { since } : {}), onProgress: (done, total) => (bar ??= progressBar('mail reprocess', total, 'messages')).update(done) }).finally(() => bar?.stop());
      console.log(`${r.examined} messages examined, ${r.changed} changed, ${r.lettersCreated} new letters, ${r.textUpdated} letter texts updated, ${r.editsKept} edited letters kept, ${r.rawGone} whose raw mail is no longer kept, ${r.errors.length} errors`);
      for (const e of r.errors) console.log(`  ${e.id}: ${e.error}`);
      await ctx.db.close();
      if (r.errors.length) process.exitCode = 1;
      return;
    }
    case 'backup': {
      if (!sub) fail('usage: letterdesk backup FILE');
      return backupCommand(config, sub);
    }
    case 'restore': {
      const { values, positionals } = parseArgs({ args: argv.slice(1), allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
      if (positionals.length !== 1) fail('usage: letterdesk restore FILE [--force]');
      return restoreCommand(config, positionals[0]!, values.force);
    }
    case 'migrate': {
      const { values } = parseArgs({ args: argv.slice(1), options: { to: { type: 'string' }, force: { type: 'boolean', default: false } } });
      if (!values.to) fail('usage: letterdesk migrate --to postgres://user@host:5432/database [--force]');
      return migrateCommand(config, values.to, values.force);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`letterdesk: ${(err as Error).message}`);
  process.exit(1);
});
