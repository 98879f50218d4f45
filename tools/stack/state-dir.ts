import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SDO's state (Temporal's SQLite file with every delivery's inputs, the admin token, the secrets
 * key, the embedded PostgreSQL) is readable by the user running SDO only: the directory is 0700
 * and its files 0600. When the embedded PostgreSQL runs as another user (we are root), that
 * user's group may pass through the directory (0710: no listing, no reading) to reach its own
 * data directory, which PostgreSQL keeps at 0700 itself.
 */
export function makeStateDir(dir: string, options: { traverseGid?: number } = {}): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (options.traverseGid !== undefined) {
    chownSync(dir, process.getuid?.() ?? 0, options.traverseGid);
    chmodSync(dir, 0o710);
  } else {
    chmodSync(dir, 0o700);
  }
  makeStateFilesPrivate(dir);
}

/** Tightens the files directly in the state directory (an older SDO, or a tool, may have left them 0644). */
export function makeStateFilesPrivate(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isFile()) chmodSync(path, 0o600);
  }
}

/** A private folder inside the state directory (e.g. the SQLite directory). */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** A value generated once and kept as a 0600 file, so restarts keep the same secrets. */
export function persistentSecret(file: string, make: () => string): string {
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}
