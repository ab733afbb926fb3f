/**
 * The deployed bridge runs with the Node flags the memory benchmark measures it with: the
 * Dockerfile's CMD and the systemd unit's ExecStart both pass exactly `BRIDGE_NODE_FLAGS`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BRIDGE_NODE_FLAGS } from './node-flags';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(resolve(repoRoot, path), 'utf8');

describe('the bridge Node flags in the deploy files', () => {
  it('the Dockerfile runs the bundle with them', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(['node', ...BRIDGE_NODE_FLAGS, '/app/bridge.mjs']);
  });

  it('the systemd unit runs the bundle with them', () => {
    const exec = /^ExecStart=(.*)$/m.exec(read('deploy/registrar-bridge.service'))?.[1];
    expect(exec?.split(/\s+/)).toEqual([
      '/usr/bin/node',
      ...BRIDGE_NODE_FLAGS,
      '/opt/registrar-bridge/bridge.mjs',
    ]);
  });
});
