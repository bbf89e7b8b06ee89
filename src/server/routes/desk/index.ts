// The desk: sign-in and sessions, the team and settings, queue helpers, and
// the web app's files. Importing this module registers the desk's action
// effects and the first-start sign-in link.
import type { AppContext } from '../../../context.ts';
import { registerDeskEffects } from '../../../desk/letter-effects.ts';
import { registerDeskStartup } from '../../../desk/startup.ts';
import type { RouteTable } from '../../route.ts';
import { deskAssetRoutes } from './assets.ts';
import { queueRoutes } from './queue.ts';
import { sessionRoutes } from './session.ts';
import { teamRoutes } from './team.ts';

registerDeskEffects();
registerDeskStartup();

export function deskRoutes(ctx: AppContext): RouteTable {
  return [...sessionRoutes(ctx), ...teamRoutes(ctx), ...queueRoutes(ctx), ...deskAssetRoutes(ctx)];
}
