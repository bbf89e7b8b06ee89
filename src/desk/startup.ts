// At start: print a one-time sign-in link for the first admin while the team
// is empty (a new link each start until one is used), and build the desk's
// browser code when web/dist is missing or stale (in the background).
import type { AppContext } from '../context.ts';
import { firstAdminLink } from './accounts.ts';
import { ensureDeskBuilt } from './web-build.ts';

export async function prepareDesk(ctx: AppContext, firstStart: boolean): Promise<void> {
  const url = await firstAdminLink(ctx);
  if (url) {
    const why = firstStart ? 'This is a new letters desk.' : 'The desk has no team yet.';
    console.log(`\n${why} Open this one-time link to create the first admin account:\n\n  ${url}\n`);
  }
  const log = ctx.log.child({ component: 'desk' });
  ensureDeskBuilt(log).catch((err) => log.error({ err }, 'could not build the desk; run `npm run build:web` to see why'));
}
