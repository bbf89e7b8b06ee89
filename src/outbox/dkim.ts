// DKIM signing of outgoing mail with the publication's key (DKIM_DOMAIN,
// DKIM_SELECTOR, DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE), handed to
// nodemailer, which signs each message as it sends it. The key is read and
// checked once: a key that cannot be read or is not a private key stops the
// start with the reason, rather than failing every mail later.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AppContext } from '../context.ts';

type Config = AppContext['config'];

export type DkimOptions = { domainName: string; keySelector: string; privateKey: string };

const loaded = new Map<string, DkimOptions>();

/** nodemailer's `dkim` option for the configured key, or undefined when signing is off. */
export function dkimSigning(config: Pick<Config, 'dkim'>): DkimOptions | undefined {
  const d = config.dkim;
  if (!d) return undefined;
  const cacheKey = `${d.domain} ${d.selector} ${d.privateKeyFile ?? d.privateKey}`;
  let options = loaded.get(cacheKey);
  if (!options) {
    options = { domainName: d.domain, keySelector: d.selector, privateKey: readKey(d) };
    loaded.set(cacheKey, options);
  }
  return options;
}

function readKey(d: NonNullable<Config['dkim']>): string {
  let pem: string;
  if (d.privateKeyFile) {
    try {
      pem = fs.readFileSync(d.privateKeyFile, 'utf8');
    } catch (err) {
      throw new Error(`DKIM_PRIVATE_KEY_FILE: cannot read ${d.privateKeyFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  } else pem = d.privateKey!;
  try {
    const key = crypto.createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key; DKIM signs with RSA or Ed25519`);
  } catch (err) {
    throw new Error(`the DKIM private key is not usable: ${(err as Error).message}`);
  }
  return pem;
}

/** Why mail signed for the configured domain may fail DMARC, or null: the From domain should be the DKIM domain or below it. */
export function dkimAlignmentWarning(config: Pick<Config, 'dkim'>, fromAddress: string): string | null {
  const domain = config.dkim?.domain;
  if (!domain) return null;
  const from = fromAddress.split('@')[1]?.toLowerCase() ?? '';
  return from === domain || from.endsWith(`.${domain}`) || domain.endsWith(`.${from}`) ? null : `mail is sent from ${from} but signed for ${domain}: DMARC will not count the signature unless the two share their organisational domain`;
}
