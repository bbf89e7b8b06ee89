// Builds the desk's browser code into web/dist with the stamp the server
// checks (src/desk/web-build.ts), so that a server that may not write to its
// own folder (a container, a systemd unit) finds it built. Used by the
// Dockerfile and the deployment docs; `npm start` builds it itself when needed.
import { deskBuildIsStale, ensureDeskBuilt } from '../src/desk/web-build.ts';

if (deskBuildIsStale()) {
  await ensureDeskBuilt({ info: (o, m) => console.log(m, o) });
} else console.log('desk assets are up to date');
