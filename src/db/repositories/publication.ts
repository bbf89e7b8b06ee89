// The publication: its name, letters address, policies and the secret that
// signs proof-of-work challenges. One row, created at first start.
import crypto from 'node:crypto';
import type { Db } from '../connect.ts';
import type { Reader, Trx } from '../executor.ts';

export type Policies = {
  /** The publication's own word limit; longer letters are flagged, not refused. */
  wordLimit: number;
  /** Letters about articles older than this many days are flagged. */
  articleAgeDays: number;
  /** A writer who wrote within this many days is flagged. */
  oneLetterPerDays: number;
  /** Letters wait as `unconfirmed` until the writer clicks the emailed link. */
  requireConfirmation: boolean;
  /** Flag letters whose writer did not confirm the letter is exclusive. */
  requireExclusive: boolean;
  /** Letters may be published only once an editor has verified the writer by phone. */
  requirePhoneVerification: boolean;
  /** The desk's editable reply for declined letters ({name} and {title} are filled in). */
  declineTemplate: string;
  /** Article matches below this confidence leave the letter in the unmatched tray (default 0.35). */
  matchThreshold?: number;
  /** Letters scoring at or above this are flagged as spam (default 0.5). */
  spamThreshold?: number;
};

export const defaultPolicies: Policies = {
  wordLimit: 250,
  articleAgeDays: 30,
  oneLetterPerDays: 30,
  requireConfirmation: true,
  requireExclusive: false,
  requirePhoneVerification: false,
  declineTemplate:
    'Dear {name},\n\nThank you for your letter about “{title}”. We read every letter, but we can publish only a few, and we will not be able to use yours this time.\n\nWe hope you will write to us again.',
};

export type Publication = { id: string; name: string; lettersAddress: string; policies: Policies; secret: string; createdAt: Date };

export async function getPublication(db: Db): Promise<Publication | null> {
  const row = await db.read.selectFrom('publication').selectAll().executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    lettersAddress: row.letters_address,
    policies: { ...defaultPolicies, ...db.dialect.readJson<Partial<Policies>>(row.settings, {}) },
    secret: row.secret,
    createdAt: db.dialect.readTime(row.created_at),
  };
}

/** Creates the publication on a new database; returns it and whether it was new. */
export async function ensurePublication(db: Db, init: { name: string; lettersAddress: string; secret?: string | null }): Promise<{ publication: Publication; created: boolean }> {
  const existing = await getPublication(db);
  if (existing) return { publication: existing, created: false };
  await db.writes.run((trx) => trx
    .insertInto('publication')
    .values({
      id: 'default',
      name: init.name,
      letters_address: init.lettersAddress,
      settings: db.dialect.json(defaultPolicies),
      secret: init.secret || crypto.randomBytes(32).toString('base64url'),
      created_at: db.dialect.time(new Date()),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute());
  return { publication: (await getPublication(db))!, created: true };
}

export async function updatePolicies(db: Db, patch: Partial<Policies>): Promise<Policies> {
  const pub = await getPublication(db);
  if (!pub) throw new Error('no publication');
  const policies = { ...pub.policies, ...patch };
  await db.writes.run((trx) => trx.updateTable('publication').set({ settings: db.dialect.json(policies) }).where('id', '=', pub.id).execute());
  return policies;
}

/** The policies as stored, read through an open transaction (actions check them mid-write). */
export async function readPolicies(db: Db, ex: Reader): Promise<Policies> {
  const row = await ex.selectFrom('publication').select('settings').executeTakeFirst();
  return { ...defaultPolicies, ...db.dialect.readJson<Partial<Policies>>(row?.settings, {}) };
}

/** Name and letters address, changed by admins in the desk. */
export async function updatePublicationDetails(db: Db, patch: { name?: string; lettersAddress?: string }): Promise<void> {
  const set: Record<string, string> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.lettersAddress !== undefined) set.letters_address = patch.lettersAddress;
  if (Object.keys(set).length) await db.writes.run((trx) => trx.updateTable('publication').set(set).execute());
}

/** Replaces one group of settings kept beside the policies (e.g. `readers`); returns the publication after the change. */
export async function updateSettingsGroup(db: Db, group: string, value: unknown): Promise<Publication> {
  const pub = await getPublication(db);
  if (!pub) throw new Error('no publication');
  const settings = { ...pub.policies, [group]: value };
  await db.writes.run((trx) => trx.updateTable('publication').set({ settings: db.dialect.json(settings) }).where('id', '=', pub.id).execute());
  return (await getPublication(db))!;
}
