// Charset helpers for mail whose labels lie.
//
// postal-mime decodes text parts with an unknown charset label (e.g. "x-unknown")
// as windows-1252, which is right for most old Western mail. When such a part was
// really UTF-8 the result is mojibake ("CafÃ©"). repairMojibake undoes exactly that
// case: it re-encodes the text as windows-1252 and keeps the UTF-8 reading only if
// those bytes are valid UTF-8, so correctly decoded text is never touched.

const CP1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

// A UTF-8 lead byte (Â..ô read as cp1252) followed by a continuation byte.
const MOJIBAKE = /[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]/;

export function looksLikeMojibake(s: string): boolean {
  return MOJIBAKE.test(s);
}

/** Returns the UTF-8 reading of text that was wrongly decoded as windows-1252, or the text unchanged. */
export function repairMojibake(s: string): string {
  if (!looksLikeMojibake(s)) return s;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x100) bytes[i] = c;
    else {
      const b = CP1252_HIGH[c];
      if (b === undefined) return s; // not a pure cp1252 reading: leave it alone
      bytes[i] = b;
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return s;
  }
}

const knownLabels = new Map<string, boolean>();

/** True when the WHATWG TextDecoder knows this charset label. */
export function isKnownCharset(label: string): boolean {
  const key = label.trim().toLowerCase();
  let known = knownLabels.get(key);
  if (known === undefined) {
    try {
      new TextDecoder(key);
      known = true;
    } catch {
      known = false;
    }
    if (knownLabels.size < 1000) knownLabels.set(key, known);
  }
  return known;
}
