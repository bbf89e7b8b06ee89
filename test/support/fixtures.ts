// The fixture corpus copied into the repo (never ../shared at run time).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export type FormCase = { name?: string | null; email?: string; town?: string | null; article?: string; body?: string; consent?: boolean; expect: 'accepted' | 'rejected'; why: string };

export function formCases(): FormCase[] {
  return fs
    .readFileSync(`${FIXTURES}corpus/form.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The submission fields of a case, as a client would send them (absent fields stay absent). */
export function submissionOf(c: FormCase): Record<string, unknown> {
  const { expect: _e, why: _w, ...fields } = c;
  return fields;
}
