// Mail in: the two doors (SMTP's spool, the webhooks' read-then-store) and
// what the background job runs to read and settle a stored message.
export { receiveMail, InboundPending, type ReceiveResult } from './receive.ts';
export type { Envelope } from './understand.ts';
export { finishPending, spoolMail, type Spooled } from './spool.ts';
