// The deployment files cannot be run here (no container daemon, no
// systemd), so this keeps them true to the code they deploy: every file the
// Dockerfile copies exists and is not ignored, the ports it exposes and the
// health check are the app's, it runs as a user other than root on the Node
// version the project pins, the command it starts is one the CLI has; the
// compose file runs two letterdesk nodes on its PostgreSQL service; the
// systemd unit starts files that exist; every setting these files (and the
// README's table) name is one the code reads, and every setting the code
// reads is in the README's table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';

const ROOT = path.resolve(new URL('../../', import.meta.url).pathname);
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

/** Every environment variable the code reads (`env.NAME`, `process.env.NAME`). */
function settingsReadByCode(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    }
  };
  walk(path.join(ROOT, 'src'));
  return names;
}
const KNOWN = settingsReadByCode();
// Node's own settings, allowed in deployment files beside the app's.
const NODE_SETTINGS = new Set(['NODE_ENV', 'NODE_OPTIONS']);
const unknown = (names: Iterable<string>) => [...names].filter((n) => !KNOWN.has(n) && !NODE_SETTINGS.has(n));

const defaults = loadConfig({});

test('the Dockerfile builds in stages, copies files that exist, and runs the CLI as a user other than root on the pinned Node', () => {
  const docker = read('Dockerfile');
  const stages = docker.split(/^FROM /m).slice(1);
  assert.ok(stages.length >= 2, 'a build stage and a run stage');
  const final = stages.at(-1)!;

  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const m of docker.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) (\S+)$/gm)) {
    for (const src of m[1]!.split(/\s+/)) {
      assert.ok(fs.existsSync(path.join(ROOT, src)), `COPY ${src}: no such file`);
      assert.ok(!ignored.some((i) => src === i || src.startsWith(`${i}/`)), `COPY ${src} is excluded by .dockerignore`);
    }
  }

  const user = /^USER (\S+)/m.exec(final)?.[1];
  assert.ok(user && user !== 'root' && user !== '0', `the image runs as ${user ?? 'root'}`);

  // The Node the image runs is the one the project pins (the npm `node` package in package-lock.json).
  const pinned = JSON.parse(read('package-lock.json')).packages['node_modules/node'].version as string;
  assert.equal(/^ARG NODE_VERSION=(\S+)/m.exec(docker)?.[1], pinned);
  assert.ok(stages.every((s) => s.startsWith('node:${NODE_VERSION}')), 'every stage is FROM node:${NODE_VERSION}');

  const exposed = /^EXPOSE (.+)$/m.exec(final)?.[1]!.split(/\s+/).map(Number);
  const env = Object.fromEntries([...final.matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)].map((m) => [m[1]!, m[2]!]));
  assert.deepEqual(unknown(Object.keys(env)), [], 'ENV names the app reads');
  const config = loadConfig(env);
  assert.deepEqual(exposed?.sort(), [config.port, config.smtpPort].sort(), 'EXPOSE the HTTP and SMTP ports the app listens on');
  assert.equal(config.host, '0.0.0.0', 'listens beyond the container');

  const health = /^HEALTHCHECK[\s\S]*?CMD (.+)$/m.exec(final)?.[1] ?? '';
  assert.match(health, /\/healthz/);
  assert.match(read('src/server/routes/system/index.ts'), /url: '\/healthz'/);

  const cmd = JSON.parse(/^CMD (\[.+\])$/m.exec(final)![1]!) as string[];
  assert.equal(cmd[0], 'node');
  assert.ok(fs.existsSync(path.join(ROOT, cmd[1]!)), `${cmd[1]} exists`);
  const main = read(cmd[1]!);
  assert.match(main, new RegExp(`case '${cmd[2]}'`), `the CLI has "${cmd[2]}"`);
  for (const flag of cmd.slice(3)) assert.ok(main.includes(`'${flag.replace(/^--/, '')}'`), `the CLI knows ${flag}`);
});

test('compose.yaml runs two letterdesk nodes from this image on its PostgreSQL service, with settings the app reads', () => {
  const compose = read('compose.yaml');
  const services = [...compose.split(/^services:\n/m)[1]!.split(/^\S/m)[0]!.matchAll(/^ {2}([a-z0-9-]+):\n/gm)].map((m) => m[1]!);
  const nodes = services.filter((s) => new RegExp(`^ {2}${s}:\\n {4}<<: \\*letterdesk`, 'm').test(compose));
  assert.ok(nodes.length >= 2, `two or more letterdesk nodes (found ${nodes.join(', ')})`);
  assert.match(compose, /^x-letterdesk: &letterdesk\n {2}build: \.\n/m, 'the nodes are built from this Dockerfile');

  const shared = compose.split(/^x-letterdesk:/m)[1]!.split(/^\S/m)[0]!;
  const envBlock = shared.split(/^ {2}environment:\n/m)[1]!.split(/^ {2}\S/m)[0]!;
  const names = [...envBlock.matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
  assert.deepEqual(unknown(names), [], 'environment names the app reads');
  const db = /DATABASE_URL: postgres:\/\/[^@]+@([a-z0-9-]+):(\d+)\//.exec(envBlock);
  assert.ok(db && services.includes(db[1]!), 'DATABASE_URL points at a service of this file');
  assert.match(compose, new RegExp(`^ {2}${db![1]}:\\n {4}image: postgres:`, 'm'));

  const port = /PORT: "(\d+)"/.exec(envBlock)?.[1];
  const smtpPort = /SMTP_PORT: "(\d+)"/.exec(envBlock)?.[1];
  for (const node of nodes) {
    const block = compose.split(new RegExp(`^ {2}${node}:\\n`, 'm'))[1]!.split(/^ {2}\S/m)[0]!;
    const targets = [...block.matchAll(/- "(?:[\d.]+:)?\d+:(\d+)"/g)].map((m) => m[1]);
    assert.deepEqual(targets.sort(), [port, smtpPort].sort(), `${node} publishes the HTTP and SMTP ports`);
  }
});

test('the systemd unit starts files that exist, with settings the app reads', () => {
  const unit = read('deploy/letterdesk.service');
  const exec = /^ExecStart=(.+)$/m.exec(unit)![1]!.split(/\s+/);
  const home = /^WorkingDirectory=(.+)$/m.exec(unit)![1]!;
  assert.equal(exec[0], `${home}/node_modules/.bin/node`, "the project's pinned Node (npm ci installs it)");
  const script = exec[1]!.replace(`${home}/`, '');
  assert.ok(fs.existsSync(path.join(ROOT, script)), `${script} exists`);
  assert.match(read(script), new RegExp(`case '${exec[2]}'`));
  const names = [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((m) => m[1]!);
  assert.deepEqual(unknown(names), []);
  assert.match(unit, /^User=(?!root)\S+/m);
  assert.match(unit, /^ExecReload=.*-HUP/m, 'reload re-reads the SMTP certificate');
});

test("the README's settings table lists every setting the code reads, and no other", () => {
  const table = read('README.md').split('## Configuration')[1]!.split('\n## ')[0]!;
  const documented = new Set([...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((x) => x[1]!)));
  assert.deepEqual([...KNOWN].filter((n) => !documented.has(n)).sort(), [], 'read by the code but not in the README');
  assert.deepEqual([...documented].filter((n) => !KNOWN.has(n)).sort(), [], 'in the README but read nowhere');
  assert.equal(defaults.feedPollSeconds <= 60, true, 'feeds are polled at least once a minute by default');
});
