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
  /**
   * Characters of readable text handed to the extractor (and on, as the
   * letter's `original`, to screening); the rest is cut and flagged. The raw
   * message is kept whole.
   */
  maxTextChars: number;
  /**
   * Characters of the writer's own text handed on as the letter; the rest is
   * cut and flagged. Everything after the mail layer (screening, intake, the
   * acknowledgement) works on the main thread in time that grows with the
   * text, so mail hands on no more than a few times what the form takes
   * (20,000 characters).
   */
  maxLetterChars: number;
  /** Uncompressed bytes an attachment (docx/odt zip) may expand to. */
  maxUnzipBytes: number;
  /** Wall-clock budget in ms; optional stages (attachment text) are skipped once spent. */
  timeBudgetMs: number;
  /**
   * Characters (octets) of one line of the top-level header block, CRLF
   * excluded. RFC 5322 §2.1.1 asks senders for at most 998, but real mail
   * systems exceed it (GMX bounces carry 1,242): readers are liberal, as
   * Postfix and Exim are, up to this bound.
   */
  maxHeaderLineChars: number;
  /** Bytes of one header field once unfolded (all its lines); Postfix's header_size_limit is the same 100 KiB. */
  maxHeaderFieldBytes: number;
  /** Bytes of the whole top-level header block, up to its blank line. */
  maxHeaderBytes: number;
  /**
   * Hard limit in ms on one piece of CPU work on a message (reading it, or
   * checking SPF/DKIM/DMARC) in the mail worker pool: past it the worker is
   * terminated and the message quarantined. Not a timer in the thread that
   * does the work, so a busy CPU cannot stop it from firing.
   */
  timeLimitMs: number;
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
  /**
   * Look for the writer's text in machine mail too (bounces, auto-replies,
   * list mail), as in a letter: for an editor releasing it from the tray. Without
   * it, machine mail's `body` is empty.
   */
  extractAlways?: boolean;
};

export type InboundLetter = {
  ok: true;
  kind: MailKind;
  reason: string;
  messageId: string | null;
  from: MailAddress;
  /** Who wrote it; `town` from the letter's sign-off ("Harold Finch / Cambridge"), when it has one. */
  writer: { name: string; email: string; town?: string };
  subject: string;
  date: string | null;
  /** The writer's own text; empty for machine mail (`kind` other than letter) unless `extractAlways` was asked for. */
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
  /** Why the writer's text holds active markup (src/letters/text-rules.ts), when it does: mail cannot be refused, so it is a flag for editors. */
  activeMarkup?: string;
  warnings: string[];
};

export type InboundResult = InboundLetter | Quarantine;
