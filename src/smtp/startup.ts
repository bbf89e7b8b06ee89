// `letterdesk start` also listens for SMTP (SMTP_PORT, 2525): registered as a
// startup hook on import (bootstrap imports this); its stop function closes
// the listener cleanly at shutdown.
import { startupHooks } from '../cli/startup-hooks.ts';
import { startSmtpListener } from './listener.ts';

startupHooks.push(async (ctx) => {
  const listener = await startSmtpListener(ctx);
  ctx.log.info({ host: listener.host, port: listener.port }, 'smtp listener started');
  return () => listener.close();
});
