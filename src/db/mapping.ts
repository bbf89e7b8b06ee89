// The one place where SQLite and PostgreSQL differ in how values are stored:
// time (ISO text vs timestamptz), booleans (0/1 vs boolean) and JSON (text vs
// jsonb). Repositories write and read through these functions only.
export type Dialect = 'sqlite' | 'postgres';

export type Mapping = {
  dialect: Dialect;
  time(d: Date): string | Date;
  timeOrNull(d: Date | null | undefined): string | Date | null;
  readTime(v: unknown): Date;
  readTimeOrNull(v: unknown): Date | null;
  bool(b: boolean): number | boolean;
  readBool(v: unknown): boolean;
  json(v: unknown): string;
  readJson<T>(v: unknown, fallback: T): T;
  readInt(v: unknown): number;
};

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'string') return new Date(v.endsWith('Z') || v.includes('+') ? v : `${v}Z`);
  if (typeof v === 'number') return new Date(v);
  throw new Error(`not a time value: ${String(v)}`);
}

// Rows written together carry the same few instants: each is formatted once.
let lastMs = Number.NaN;
let lastIso = '';
function iso(d: Date): string {
  const ms = d.getTime();
  if (ms !== lastMs) {
    lastIso = d.toISOString();
    lastMs = ms;
  }
  return lastIso;
}

export function createMapping(dialect: Dialect): Mapping {
  const sqlite = dialect === 'sqlite';
  return {
    dialect,
    // ISO 8601 with milliseconds in UTC sorts correctly as text in SQLite.
    time: (d) => (sqlite ? iso(d) : d),
    timeOrNull: (d) => (d == null ? null : sqlite ? iso(d) : d),
    readTime: toDate,
    readTimeOrNull: (v) => (v == null ? null : toDate(v)),
    bool: (b) => (sqlite ? (b ? 1 : 0) : b),
    readBool: (v) => v === true || v === 1 || v === 1n || v === '1' || v === 't',
    // pg serialises a JS string parameter as-is, so JSON goes in as text for both.
    json: (v) => JSON.stringify(v ?? null),
    readJson: <T>(v: unknown, fallback: T): T => {
      if (v == null) return fallback;
      if (typeof v === 'string') {
        try {
          return JSON.parse(v) as T;
        } catch {
          return fallback;
        }
      }
      return v as T;
    },
    readInt: (v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number.parseInt(v, 10) : Number(v ?? 0)),
  };
}
