// Every write command, by name. The writer thread runs a command it is sent
// by looking it up here; a test checks that every command defined in the
// source is listed.
import { storeInbound } from '../inbound/store.ts';
import { storeLetter } from '../letters/intake.ts';
import { spendPowSolution } from '../letters/pow.ts';
import type { WriteCommand } from './commands.ts';

const COMMANDS: readonly WriteCommand<never, unknown>[] = [storeLetter, spendPowSolution, storeInbound];

const byName = new Map(COMMANDS.map((c) => [c.name, c as unknown as WriteCommand<unknown, unknown>]));

export function commandNamed(name: string): WriteCommand<unknown, unknown> {
  const c = byName.get(name);
  if (!c) throw new Error(`unknown write command "${name}"`);
  return c;
}

export const COMMAND_NAMES: readonly string[] = [...byName.keys()];
