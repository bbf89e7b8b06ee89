// A writer's data on request: everything stored about them (export), or
// erased. Erasing keeps published letters' text under "Name withheld" (it is
// already public and part of the record) and anonymises or deletes the rest.
import { forgetLetterInsights } from './insights.ts';
import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import type { Trx } from '../executor.ts';
import { LETTER_COLUMNS, toLetter } from './letters.ts';
import { toWriter } from './writers.ts';
import { removeCampaignRecord } from './screening.ts';

export async function exportWriterData(db: Db, emailKey: string): Promise<Record<string, unknown> | null> {
  const w = await db.read.selectFrom('writers').selectAll().where('email_key', '=', emailKey).executeTakeFirst();
  if (!w) return null;
  const letters = await db.read.selectFrom('letters').select(LETTER_COLUMNS).where('writer_id', '=', w.id).orderBy('id').execute();
  const ids = letters.map((l) => l.id);
  const events = ids.length ? await db.read.selectFrom('letter_events').selectAll().where('letter_id', 'in', ids).orderBy('id').execute() : [];
  const mail = await db.read
    .selectFrom('outbox')
    .select(['id', 'letter_id', 'kind', 'to_address', 'subject', 'text', 'status', 'created_at', 'sent_at'])
    .where((eb) => eb.or([eb('to_address', '=', w.email), ...(ids.length ? [eb('letter_id', 'in', ids)] : [])]))
    .orderBy('id')
    .execute();
  const links = ids.length ? await db.read.selectFrom('writer_links').select(['letter_id', 'purpose', 'expires_at', 'used_at', 'created_at']).where('letter_id', 'in', ids).execute() : [];
  const m = db.dialect;
  return {
    exportedAt: new Date().toISOString(),
    writer: { ...toWriter(db, w), erasedAt: m.readTimeOrNull(w.erased_at) },
    letters: letters.map((r) => ({ ...toLetter(db, r), publishedBody: r.published_body, publishedTown: r.published_town })),
    history: events.map((e) => ({ letterId: e.letter_id, actor: e.actor, action: e.action, data: m.readJson(e.data, {}), at: m.readTime(e.created_at) })),
    mail: mail.map((x) => ({ id: x.id, letterId: x.letter_id, kind: x.kind, to: x.to_address, subject: x.subject, text: x.text, status: x.status, createdAt: m.readTime(x.created_at), sentAt: m.readTimeOrNull(x.sent_at) })),
    links: links.map((l) => ({ letterId: l.letter_id, purpose: l.purpose, createdAt: m.readTime(l.created_at), expiresAt: m.readTime(l.expires_at), usedAt: m.readTimeOrNull(l.used_at) })),
  };
}

/**
 * What was derived from or kept beside a letter: the raw mail (full text and
 * headers), the text the spam model learnt from, the campaign record and
 * screening notes, its mail and links. The campaign log keeps only that the
 * letter left, so that every node's campaign index drops it too.
 */
export async function removeLetterTraces(db: Db, trx: Trx, letterId: string): Promise<void> {
  for (const table of ['inbound_messages', 'spam_lessons', 'spam_labels', 'letter_screening'] as const) {
    await trx.deleteFrom(table).where('letter_id', '=', letterId).execute();
  }
  await removeCampaignRecord(db, trx, letterId);
  await forgetLetterInsights(db, trx, letterId);
  await trx.deleteFrom('outbox').where('letter_id', '=', letterId).execute();
  await trx.deleteFrom('writer_links').where('letter_id', '=', letterId).execute();
}

/** The letter itself and its history (after removeLetterTraces). */
export async function deleteLetterRow(db: Db, trx: Trx, letterId: string): Promise<void> {
  await trx.deleteFrom('idempotency_keys').where('letter_id', '=', letterId).execute();
  await trx.deleteFrom('author_replies').where('letter_id', '=', letterId).execute();
  await db.dialect.removeLetterText(trx, letterId);
  await trx.deleteFrom('letter_events').where('letter_id', '=', letterId).execute();
  await trx.deleteFrom('letters').where('id', '=', letterId).execute();
}

export type EraseReport = { found: boolean; published: number; anonymised: number; deleted: number };

const ERASED = '[erased]';

export async function eraseWriterData(db: Db, emailKey: string, mode: 'anonymise' | 'delete', nameWithheld: string): Promise<EraseReport> {
  return db.writes.run(async (trx) => {
    const w = await trx.selectFrom('writers').selectAll().where('email_key', '=', emailKey).executeTakeFirst();
    if (!w) return { found: false, published: 0, anonymised: 0, deleted: 0 };
    const now = db.dialect.time(new Date());
    const lq = trx.selectFrom('letters').select(LETTER_COLUMNS).where('writer_id', '=', w.id).orderBy('id');
    const letters = await (db.dialect.name === 'postgres' ? lq.forUpdate() : lq).execute();
    const report: EraseReport = { found: true, published: 0, anonymised: 0, deleted: 0 };
    // On PostgreSQL the letters, then their articles' insights rows, are
    // locked first and in order, as placing, grouping and teaching take them:
    // taken later, an erasure and a placement each waited for the other.
    if (db.dialect.name === 'postgres' && letters.length) {
      const articleIds = new Set(letters.flatMap((l) => (l.article_id ? [l.article_id] : [])));
      for (const r of await trx.selectFrom('letter_insights').select('article_id').where('letter_id', 'in', letters.map((l) => l.id)).execute()) articleIds.add(r.article_id);
      if (articleIds.size) await trx.selectFrom('article_insights').select('article_id').where('article_id', 'in', [...articleIds]).orderBy('article_id').forUpdate().execute();
    }
    for (const l of letters) {
      // What was derived from or kept beside the letter goes, whatever happens to the letter itself.
      await removeLetterTraces(db, trx, l.id);
      await trx.updateTable('letter_events').set({ data: db.dialect.json({ erased: true }) }).where('letter_id', '=', l.id).execute();
      const published = l.published_body != null && l.published_at != null;
      if (published) {
        const text = l.published_body!;
        await trx
          .updateTable('letters')
          .set({ name: ERASED, town: null, body: text, original: text, edited_body: null, subject: null, message_id: null, display_name: nameWithheld, published_town: null, meta: db.dialect.json({ erased: true }), updated_at: now })
          .where('id', '=', l.id)
          .execute();
        await db.dialect.indexLetterText(trx, l.id, text);
        report.published++;
      } else if (mode === 'delete') {
        await deleteLetterRow(db, trx, l.id);
        report.deleted++;
      } else {
        await trx
          .updateTable('letters')
          .set({ name: ERASED, town: null, body: ERASED, original: ERASED, edited_body: null, subject: null, message_id: null, display_name: null, meta: db.dialect.json({ erased: true }), updated_at: now })
          .where('id', '=', l.id)
          .execute();
        await db.dialect.indexLetterText(trx, l.id, '');
        report.anonymised++;
      }
    }
    await trx.deleteFrom('outbox').where('to_address', '=', w.email).execute();
    // Mail from them kept in the system tray (auto-replies, bounces) too.
    await sql`delete from inbound_messages where lower(from_address) = ${w.email.toLowerCase()}`.execute(trx);
    const gone = `erased+${w.id}@invalid`;
    await trx
      .updateTable('writers')
      .set({ email: gone, email_key: gone, variant_key: gone, name: ERASED, town: null, phone: null, postal_address: null, erased_at: now, updated_at: now })
      .where('id', '=', w.id)
      .execute();
    return report;
  });
}
