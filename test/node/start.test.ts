/**
 * The README's first command: `npm start` brings the whole stack up offline, prints `ready` with
 * the URL, answers /health, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '../../scripts/local-stack';

describe('npm start', () => {
  it('reaches ready, answers /health and stops on SIGTERM', { timeout: 150_000 }, async () => {
    const port = await freePort();
    const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!/^ready /m.test(output) && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toMatch(new RegExp(`^ready http://127\\.0\\.0\\.1:${port}`, 'm'));
      expect(output).toMatch(/curl http:\/\/127\.0\.0\.1:\d+\/health/);

      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      const health = (await res.json()) as {
        status: string;
        accounts: { account: string; configured: boolean }[];
      };
      expect(health.status).toBe('ok');
      // Liveness only: every registrar is configured (a simulator stands in for each).
      for (const a of health.accounts) expect(a.configured, a.account).toBe(true);

      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
      expect(code).toBe(0);
      expect(output).toMatch(/stopped/);
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    }
  });
});
