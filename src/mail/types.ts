// Types shared by the pure mail layer (src/mail). Everything here is plain data:
// no database handles, no sockets, so results can be stored, compared in tests
// and recomputed after a parser upgrade.

export type MailKind = 'letter' | 'autoreply' | 'bounce' | 'list';

export type MailAddress = { name: string; address: string };

/** Limits that keep hostile input from hanging the process or exhausting memory. */
export type MailLimits = {
  /** Raw message size in bytes; larger input is quarantined without parsing. */
  maxBytes: number;
  /** Rough count of MIME parts (boundary lines); more is quarantined. */
  maxParts: number;
  /** MIME nesting depth handed to the parser; deeper is quarantined. */
  maxDepth: number;
  /** Characters of body text handed to the extractor; the rest is cut (and flagged). */
  maxTextChars: number;
  /** Uncompressed bytes an attachment (docx/odt zip) may expand to. */
  maxUnzipBytes: number;
  /** Wall-clock budget in ms; optional stages (attachment text) are skipped once spent. */
  timeBudgetMs: number;
};

export type ParsedAttachment = {
  filename: string | null;
  contentType: string;
  disposition: string | null;
  size: number;
  content: Uint8Array;
};

/** Headers the classifier and the desk care about, lower-cased keys, first value wins. */
export type HeadersOfInterest = Record<string, string>;

export type ParsedMessage = {
  ok: true;
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  from: MailAddress | null;
  sender: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  date: string | null;
  returnPath: string | null;
  /** Lower-cased top-level Content-Type value, e.g. "multipart/report". */
  contentType: string;
  /** Parameters of the top-level Content-Type (lower-cased keys). */
  contentTypeParams: Record<string, string>;
  /** Every top-level header as [lower-case key, decoded value], in order. */
  headers: Array<[string, string]>;
  headersOfInterest: HeadersOfInterest;
  /** The readable body: text/plain if present, else HTML turned into text. */
  text: string;
  /** True when `text` came from HTML. */
  textFromHtml: boolean;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Lower-cased MIME types of every part seen (attachments and bodies). */
  partTypes: string[];
  /** Non-fatal problems met while parsing (truncated text, repaired charset, ...). */
  warnings: string[];
};

export type Quarantine = { ok: false; reason: string };

export type ParseResult = ParsedMessage | Quarantine;

export type Classification = { kind: MailKind; reason: string };

export type Extraction = {
  /** The writer's own text. */
  body: string;
  /** The whole text before trimming. */
  original: string;
  /** Set when the letter is a forwarded one and the writer comes from the forwarded header block. */
  forwardedFrom: MailAddress | null;
  /** The forwarding note above a forwarded letter (trimmed), when there is one. */
  note?: string;
  /** To/Cc addresses in the forwarded letter's header block. */
  forwardedTo?: MailAddress[];
  /** What was removed, for the desk ("quoted reply", "signature", ...). */
  removed: string[];
};

export type AttachmentSummary = {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
};

export type AttachmentText = { text: string; filename: string } | null;

export type InboundOptions = Partial<MailLimits> & {
  /** Addresses (or domains starting with "@") that the desk itself sends from. */
  ownAddresses?: string[];
  /** Domain the desk uses in its own Message-IDs. */
  ownDomain?: string;
};

export type InboundLetter = {
  ok: true;
  kind: MailKind;
  reason: string;
  messageId: string | null;
  from: MailAddress;
  writer: { name: string; email: string };
  subject: string;
  date: string | null;
  /** The writer's own text. */
  body: string;
  /** The full readable text of the message. */
  original: string;
  /** Filename when the body was taken from an attachment. */
  fromAttachment?: string;
  /**
   * A forwarded letter (an attached message/rfc822 or .eml, or a forwarded
   * block in the text): the forwarder's own note above it. `body`, `writer`,
   * `date` and `subject` are the forwarded letter's.
   */
  coveringNote?: string;
  /** Who forwarded the letter (the message's From), when `writer` comes from the forwarded letter. */
  forwardedBy?: MailAddress;
  /**
   * To and Cc recipients other than the desk's own addresses and the sender:
   * a letter sent to other publications too (see `publicationAddresses`).
   */
  otherRecipients: MailAddress[];
  attachments: AttachmentSummary[];
  /** Letter id found in In-Reply-To/References of the desk's own Message-IDs. */
  inReplyToLetterId: string | null;
  inReplyTo: string | null;
  references: string | null;
  /** True when the message appears to come from the desk itself (loop guard). */
  ownMail: boolean;
  headers: HeadersOfInterest;
  /** Raw Authentication-Results header, if any, for display beside mailauth's own results. */
  authResultsHeader?: string;
  warnings: string[];
};

export type InboundResult = InboundLetter | Quarantine;
