// Outgoing mail signed with the publication's DKIM key: an acknowledgement
// sent through SMTP_URL to a real SMTP server on loopback carries a
// DKIM-Signature for DKIM_DOMAIN and DKIM_SELECTOR that mailauth verifies
// against the public key (published, for the test, by a resolver that
// answers the selector's TXT record). Tampering with the body breaks it.
// Without the settings, mail goes out unsigned; a key that is not a key
// stops the start with the reason.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createTestDatabase } from '../support/databases.ts';
import { relay } from '../support/outside.ts';

async function acknowledgement(t: TestApp): Promise<void> {
  const r = await fetch(`${t.url}/api/v1/letters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ article: 'seed-isi-taliban', name: 'Omar Vance', email: 'omar@example.org', town: 'Westgate', body: 'The column is right about the border, and wrong about the people who live along it.', consent: true }),
  });
  assert.equal(r.status, 202);
  await t.drainEvents();
  await t.desk.background.runJobs();
}

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_B64 = (publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');

/** DNS as the publication publishes it: the selector's TXT record holds the public key. */
const resolver = async (name: string, type: string) => {
  if (type === 'TXT' && name === 'ld2024._domainkey.review.example.com') return [[`v=DKIM1; k=rsa; p=${PUBLIC_B64}`]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

forEachDialect('DKIM-signed outgoing mail', (dialect) => {
  test("the acknowledgement carries a signature that verifies with the publication's public key", async () => {
    const smtp = await relay();
    const t = await startTestApp(dialect, { SMTP_URL: smtp.url, DKIM_DOMAIN: 'review.example.com', DKIM_SELECTOR: 'ld2024', DKIM_PRIVATE_KEY: PRIVATE_PEM.replace(/\n/g, '\\n') });
    try {
      t.ctx.publication.policies.requireConfirmation = false;
      await acknowledgement(t);
      assert.equal(smtp.received.length, 1);
      const raw = smtp.received[0]!;
      assert.match(raw, /^DKIM-Signature: .*d=review\.example\.com/m);
      const result = await dkimVerify(Buffer.from(raw), { resolver });
      const sig = result.results[0]!;
      assert.equal(sig.status.result, 'pass', JSON.stringify(sig.status));
      assert.equal(sig.signingDomain, 'review.example.com');
      assert.equal(sig.selector, 'ld2024');

      const tampered = raw.replace('Omar', 'Omer');
      assert.notEqual(tampered, raw);
      const broken = await dkimVerify(Buffer.from(tampered), { resolver });
      assert.notEqual(broken.results[0]!.status.result, 'pass');
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

test('without DKIM settings mail goes out unsigned; an unusable key stops the start with the reason', async () => {
  const smtp = await relay();
  const t = await startTestApp('sqlite', { SMTP_URL: smtp.url });
  try {
    t.ctx.publication.policies.requireConfirmation = false;
    await acknowledgement(t);
    assert.equal(smtp.received.length, 1);
    assert.doesNotMatch(smtp.received[0]!, /^DKIM-Signature:/m);
  } finally {
    await t.close();
    await smtp.close();
  }
  const db = await createTestDatabase('sqlite');
  try {
    const config = loadConfig({ LETTERDESK_DATA: db.dataDir, DKIM_DOMAIN: 'review.example.com', DKIM_SELECTOR: 'ld2024', DKIM_PRIVATE_KEY: 'not a key' });
    await assert.rejects(createApp(config, { log: createLogger('silent') }), /DKIM private key is not usable/);
    assert.throws(() => loadConfig({ DKIM_DOMAIN: 'review.example.com' }), /DKIM_SELECTOR/);
  } finally {
    await db.drop();
  }
});
