// Row types of the publishing tables (migration 0400), and a view of the
// database that knows them. Kept beside the core schema rather than in it, so
// that publishing stays one additive piece.
import type { Kysely } from 'kysely';
import type { Executor } from '../executor.ts';
import type { Schema } from '../schema.ts';

type Time = string | Date;
type Json = string | object;

export type WriterLinkTable = {
  id: string;
  letter_id: string;
  purpose: string;
  token_hash: string;
  data: Json;
  expires_at: Time;
  used_at: Time | null;
  created_at: Time;
};

export type WebhookTable = { id: string; url: string; events: Json; secret: string; created_at: Time; disabled_at: Time | null };

export type WebhookDeliveryTable = {
  id: string;
  webhook_id: string;
  event: string;
  payload: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Time | null;
  created_at: Time;
};

export type AuthorReplyTable = { id: string; letter_id: string; author_name: string; body: string; created_at: Time };

type PublishedColumns = { published_body: string | null; published_town: string | null };

export type PublishingSchema = Omit<Schema, 'letters'> & {
  letters: Schema['letters'] & PublishedColumns;
  writer_links: WriterLinkTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  author_replies: AuthorReplyTable;
};

/** The same connection or transaction, typed with the publishing tables. */
export function pub(ex: Executor): Kysely<PublishingSchema> {
  return ex as unknown as Kysely<PublishingSchema>;
}
