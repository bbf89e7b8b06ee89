// Parts that start with the server (SMTP listener, scheduler, first-start
// sign-in link) register here; each returns its stop function.
import type { AppContext } from '../context.ts';

export type StartupHook = (ctx: AppContext, info: { firstStart: boolean }) => Promise<() => Promise<void>>;
export const startupHooks: StartupHook[] = [];
