import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret kept in the data folder for local use (development only): created once with owner-only permissions,
 * then read back, so tokens minted by `npm run token` and stream names stay valid across restarts.
 */
export async function localSecret(dataDir: string, name: string): Promise<{ value: string; created: boolean; file: string }> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, `${name}.secret`);
  try {
    return { value: (await readFile(file, 'utf8')).trim(), created: false, file };
  } catch {
    const value = randomBytes(32).toString('base64url');
    try {
      await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
      return { value, created: true, file };
    } catch {
      // Another process created it first: use theirs.
      return { value: (await readFile(file, 'utf8')).trim(), created: false, file };
    }
  }
}
