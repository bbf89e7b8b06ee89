// The desk: sign-in and sessions, the team and settings, queue helpers, and
// the web app's files.
import type { AppContext } from '../../../context.ts';
import type { RouteTable } from '../../route.ts';
import { deskAssetRoutes } from './assets.ts';
import { presenceRoutes } from './presence.ts';
import { queueRoutes } from './queue.ts';
import { sessionRoutes } from './session.ts';
import { teamRoutes } from './team.ts';

export function deskRoutes(ctx: AppContext): RouteTable {
  return [...sessionRoutes(ctx), ...teamRoutes(ctx), ...queueRoutes(ctx), ...presenceRoutes(ctx), ...deskAssetRoutes(ctx)];
}
