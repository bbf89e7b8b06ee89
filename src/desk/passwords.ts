// Passwords: argon2id (OWASP's minimum: 19 MiB, 2 passes), prebuilt N-API binary.
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const MIN_PASSWORD = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  // Without a stored hash, still spend the time of a check, so that timing does not tell who has an account.
  const target = stored ?? (await dummyHash());
  try {
    const ok = await verify(target, password);
    return ok && stored !== null;
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
function dummyHash(): Promise<string> {
  return (dummy ??= hash('not a real password, only spends time', OPTIONS));
}
