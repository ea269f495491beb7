import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment variable a server (and `downhill` commands) read the token from. */
export const TOKEN_ENV = 'DOWNHILL_TOKEN';

/**
 * The launch token: the one given, else `DOWNHILL_TOKEN`, else the one kept in the data
 * directory (`token`, readable by its owner only), else a new one written there. So a restarted
 * server keeps its token: publishing trainers and open dashboard tabs go on working, and the
 * token never has to be on a command line, where `ps` shows it.
 */
export function resolveToken(
  given: string | false | undefined,
  dataDir: string | undefined,
): string | undefined {
  if (given === false) return undefined;
  const chosen = given ?? process.env[TOKEN_ENV] ?? (dataDir ? readKept(dataDir) : undefined);
  if (chosen !== undefined) {
    if (chosen.length < 8) throw new RangeError('startServer: token must be at least 8 characters');
    return chosen;
  }
  const fresh = randomBytes(18).toString('base64url');
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'token'), `${fresh}\n`, { mode: 0o600 });
    chmodSync(join(dataDir, 'token'), 0o600);
  }
  return fresh;
}

function readKept(dataDir: string): string | undefined {
  try {
    const text = readFileSync(join(dataDir, 'token'), 'utf8').trim();
    return text === '' ? undefined : text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `startServer: cannot read the token file ${join(dataDir, 'token')}: ${(err as Error).message}`,
    );
  }
}
