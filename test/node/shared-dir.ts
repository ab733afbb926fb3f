/**
 * Where the shared registrar documents live: `shared/` beside the repository (a CI clone), or one
 * level further up (a git worktree under `wt/<name>`). Resolved from this file, never absolute.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function sharedDir(): string {
  const candidates = [resolve(repoRoot, '..', 'shared'), resolve(repoRoot, '..', '..', 'shared')];
  const found = candidates.find((dir) => existsSync(resolve(dir, 'seeds')));
  if (!found) throw new Error(`shared/ not found beside the repository (tried ${candidates.join(', ')})`);
  return found;
}

export function sharedPath(...parts: string[]): string {
  return resolve(sharedDir(), ...parts);
}
