// Column types for migrations, per dialect (the storage side of mapping.ts).
import { sql, type Expression } from 'kysely';
import type { Dialect } from './mapping.ts';

export type ColumnTypes = { time: Expression<unknown>; bool: Expression<unknown>; json: Expression<unknown>; real: Expression<unknown> };

export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'postgres'
    ? { time: sql`timestamptz`, bool: sql`boolean`, json: sql`jsonb`, real: sql`double precision` }
    : { time: sql`text`, bool: sql`integer`, json: sql`text`, real: sql`real` };
}
