// A self-signed certificate for loopback, made for a test with the openssl
// command (no network); suites skip with the reason where openssl is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TestCert = { dir: string; certFile: string; keyFile: string; cert: string; remove(): void };

export function opensslUnavailable(): string | null {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return null;
  } catch {
    return 'the openssl command is not installed (apt-get install -y openssl)';
  }
}

export function selfSignedCert(commonName = 'localhost'): TestCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterdesk-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=DNS:${commonName},IP:127.0.0.1`],
    { stdio: 'pipe' },
  );
  return { dir, certFile, keyFile, cert: fs.readFileSync(certFile, 'utf8'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
