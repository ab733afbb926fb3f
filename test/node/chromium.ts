/**
 * The Chromium the browser tests drive (Debian's `chromium`, through playwright-core), or
 * undefined with a loud warning naming the test that will be skipped. .ci/run installs it in CI.
 */
import { execFileSync } from 'node:child_process';

export function findChromium(skipping: string): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on PATH
    }
  }
  console.warn(
    `\n!!! SKIPPING ${skipping}: no Chromium on this machine. Install the Debian package ` +
      '`chromium` (apt-get install -y chromium); .ci/run installs it in CI. !!!\n',
  );
  return undefined;
}

/** Launch flags for a container (no sandbox, no GPU, small /dev/shm). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];
