// STARTTLS on the SMTP listener with a certificate and key from
// SMTP_TLS_CERT and SMTP_TLS_KEY (a self-signed pair made for the test): a
// sender that insists on TLS (and checks the certificate) delivers a letter
// that the desk stores; with SMTP_REQUIRE_TLS a sender that does not start
// TLS is refused before its message; without the settings STARTTLS is not
// offered at all. A renewed certificate is read again without a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { forEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { opensslUnavailable, selfSignedCert, type TestCert } from '../support/tls.ts';
import { startSmtpListener, type SmtpListener } from '../../src/smtp/listener.ts';
import { LETTERS, readSpooled } from './support.ts';

const noOpenssl = opensslUnavailable();

const letter = (id: string) =>
  [
    'From: Nia Holt <nia@example.org>',
    `To: ${LETTERS}`,
    'Subject: The harbour plan',
    `Message-ID: <${id}@example.org>`,
    'Date: Mon, 06 May 2024 09:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The harbour plan gives the waterfront to developers and nothing to the people who fish from it. Sent over an encrypted connection.',
    '',
    'Nia Holt, Portside',
  ].join('\r\n');

/** The server's EHLO answer, read over a plain socket. */
async function ehlo(port: number): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (d) => {
      text += d.toString();
      if (/^220 /m.test(text) && !text.includes('EHLO-SENT')) {
        text += 'EHLO-SENT\n';
        socket.write('EHLO client.example\r\n');
      } else if (/^250 /m.test(text)) resolve();
    });
  });
  socket.end('QUIT\r\n');
  return text;
}

forEachDialect('SMTP with STARTTLS', (dialect) => {
  let t: TestApp;
  let cert: TestCert;
  let smtp: SmtpListener;

  before(async () => {
    if (noOpenssl) return;
    cert = selfSignedCert();
    t = await startTestApp(dialect, { SMTP_TLS_CERT: cert.certFile, SMTP_TLS_KEY: cert.keyFile, SMTP_REQUIRE_TLS: 'on' });
    smtp = await startSmtpListener(t.ctx, { port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await smtp?.close();
    await t?.close();
    cert?.remove();
  });

  test('a letter delivered over STARTTLS, the certificate checked, is stored', { skip: noOpenssl ?? false }, async () => {
    assert.match(await ehlo(smtp.port), /250[- ]STARTTLS/);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: true, tls: { ca: cert.cert, servername: 'localhost' } });
    const info = await transport.sendMail({ envelope: { from: 'nia@example.org', to: [LETTERS] }, raw: letter('tls-1') });
    transport.close();
    assert.match(info.response, /^250 /);
    await readSpooled(t);
    const stored = await t.ctx.db.read.selectFrom('inbound_messages').select(['id', 'letter_id', 'subject']).where('message_id', '=', '<tls-1@example.org>').executeTakeFirst();
    assert.ok(stored?.letter_id, 'the mail became a letter');
    const l = await t.ctx.db.read.selectFrom('letters').select(['body']).where('id', '=', stored!.letter_id!).executeTakeFirstOrThrow();
    assert.match(l.body, /Sent over an encrypted connection/);
  });

  test('with SMTP_REQUIRE_TLS a sender that does not start TLS is refused with 530', { skip: noOpenssl ?? false }, async () => {
    const plain = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    const err = await plain.sendMail({ envelope: { from: 'nia@example.org', to: [LETTERS] }, raw: letter('plain-1') }).then(
      () => null,
      (e: { responseCode?: number; response?: string }) => e,
    );
    plain.close();
    assert.equal(err?.responseCode, 530);
    assert.match(err?.response ?? '', /STARTTLS/);
    const stored = await t.ctx.db.read.selectFrom('inbound_messages').select('id').where('message_id', '=', '<plain-1@example.org>').executeTakeFirst();
    assert.equal(stored, undefined);
  });

  test('a renewed certificate is served after reloadTls (SIGHUP), without a restart', { skip: noOpenssl ?? false }, async () => {
    const renewed = selfSignedCert();
    try {
      fs.copyFileSync(renewed.certFile, cert.certFile);
      fs.copyFileSync(renewed.keyFile, cert.keyFile);
      smtp.reloadTls();
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: true, tls: { ca: renewed.cert, servername: 'localhost' } });
      const info = await transport.sendMail({ envelope: { from: 'nia@example.org', to: [LETTERS] }, raw: letter('tls-2') });
      transport.close();
      assert.match(info.response, /^250 /);
    } finally {
      renewed.remove();
    }
  });
});

test('without SMTP_TLS_CERT and SMTP_TLS_KEY, STARTTLS is not offered', async () => {
  const t = await startTestApp('sqlite');
  const smtp = await startSmtpListener(t.ctx, { port: 0, host: '127.0.0.1' });
  try {
    const answer = await ehlo(smtp.port);
    assert.match(answer, /^250 /m);
    assert.doesNotMatch(answer, /STARTTLS/);
  } finally {
    await smtp.close();
    await t.close();
  }
});
