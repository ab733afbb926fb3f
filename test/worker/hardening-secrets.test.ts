/**
 * Secrets (issue 13, item 4). `secret-guard.ts` watches every worker test file (the whole suite's
 * scenarios); this file adds the scenarios most likely to leak — every registrar answering with
 * each kind of broken reply, through the API and the bot, renewals included, and callers pasting
 * a secret where it does not belong — and checks inside the test that the guard saw them and
 * found nothing. It also proves the guard itself catches a leak.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../sim/shared/faults';
import { api, configuredAccounts, json, keyWith } from './api-support';
import { sim } from './helpers';
import { findLeaks, guardRecord, secretValues, telegramPayloads } from './secret-guard';
import { OPERATOR, say } from './telegram-support';

const ACCOUNTS = configuredAccounts();

const FAULTS: Fault[] = [
  { kind: 'html' },
  { kind: 'http_status', status: 500 },
  { kind: 'http_status', status: 403 },
  { kind: 'garbage' },
  { kind: 'truncate' },
  { kind: 'drop_before' },
];

function leaksSoFar() {
  const secrets = secretValues();
  return guardRecord.flatMap((s) => findLeaks(secrets, s.where, s.text));
}

describe('secret guard', () => {
  it('knows the recognizable secrets of this run (admin key, webhook secret, every registrar credential)', () => {
    const names = [...secretValues().keys()];
    expect(names).toContain('ADMIN_API_KEY');
    expect(names).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(names).toContain('TELEGRAM_BOT_TOKEN');
    // A `*_USER` credential is secret too (the configuration table says so, whatever its name).
    if (ACCOUNTS.includes('mrdomain')) expect(names).toContain('MRDOMAIN_API_USER');
    // At least one credential per configured registrar account.
    expect(names.length).toBeGreaterThanOrEqual(3 + ACCOUNTS.length);
  });

  it('catches a secret in plain, URL-encoded and base64 form, and names the variable, not the value', () => {
    const secrets = new Map([['X_API_KEY', 'sim-x-key/0001']]);
    expect(findLeaks(secrets, 'log', 'key=sim-x-key/0001')).toHaveLength(1);
    expect(findLeaks(secrets, 'log', 'key=sim-x-key%2F0001')).toHaveLength(1);
    expect(findLeaks(secrets, 'log', `auth ${btoa('sim-x-key/0001')}`)).toHaveLength(1);
    expect(findLeaks(secrets, 'log', 'key=[REDACTED]')).toHaveLength(0);
    expect(findLeaks(secrets, 'log', 'key=sim-x-key/0001')[0]?.excerpt).not.toContain('sim-x-key/0001');
  });
});

describe('no secret leaves the gateway when registrars misbehave', () => {
  for (const account of ACCOUNTS) {
    it(`${account}: API and bot under every broken reply`, { timeout: 240_000 }, async () => {
      const control = sim(account);
      await control.reset();
      const synced = await api(`/v1/sync?account=${account}`, { method: 'POST' });
      expect(synced.status).toBe(200);
      const page = await json<{ items: Array<{ domain: string; expiresAt?: string }> }>(
        await api(`/v1/domains?account=${account}&limit=5`),
      );
      // The inventory, or else the simulator's own list (a name another simulator also seeds is
      // kept under one account only).
      const state = await control.state<{ domains?: Array<{ domain?: string; name?: string }> }>();
      const fromSim = state.domains?.[0];
      const held =
        page.items[0] ?? (fromSim ? { domain: String(fromSim.domain ?? fromSim.name) } : undefined);
      expect(held, 'the simulator holds a domain').toBeDefined();
      const before = guardRecord.length;
      for (const fault of FAULTS) {
        await control.faults({ fault, match: '*', times: 3 });
        const calls = [
          api(`/v1/accounts/${account}/balance`),
          api(`/v1/domains/${held!.domain}`, { method: 'PUT', body: { account } }),
          api(`/v1/availability?domain=secret-probe-${fault.kind}.com&account=${account}`),
          api(`/v1/prices?tld=com&account=${account}`),
        ];
        for (const res of await Promise.all(calls)) {
          expect(res.status, await res.clone().text()).not.toBe(500);
          await res.text();
        }
        try {
          await say(OPERATOR, '/balance');
          await say(OPERATOR, `/info ${held!.domain}`);
        } finally {
          await control.clearFaults();
        }
      }
      // A renewal whose reply is lost after the registrar acted: the engine logs and stores the
      // upstream failure; neither may carry a credential.
      await control.faults({ fault: { kind: 'drop_after' }, match: '*', times: 1 });
      const renewal = await api(`/v1/domains/${held!.domain}/renew`, {
        method: 'POST',
        body: { years: 1, account, ...(held!.expiresAt ? { expectedExpiry: held!.expiresAt } : {}) },
        headers: { 'idempotency-key': `secrets-${account}` },
      });
      // 202 (recorded), 409, or a 5xx problem when the fault lands on the expiry read first.
      expect(renewal.status).not.toBe(500);
      await renewal.text();
      await new Promise((r) => setTimeout(r, 1500));
      await control.clearFaults();

      await telegramPayloads();
      const watched = guardRecord.slice(before).map((s) => s.where.split(' ')[0]);
      expect(watched.filter((w) => w === 'response').length, watched.join(',')).toBeGreaterThan(24);
      expect(watched.filter((w) => w === 'telegram').length, watched.join(',')).toBeGreaterThan(6);
      expect(leaksSoFar()).toEqual([]);
    });
  }
});

describe('callers pasting a secret where it does not belong', () => {
  it('does not echo the admin key or webhook secret from a path, query or body', async () => {
    const admin = env.ADMIN_API_KEY;
    const hook = env.TELEGRAM_WEBHOOK_SECRET;
    const responses = await Promise.all([
      api(`/v1/no-such-route/${admin}`),
      api(`/v1/domains/${admin}`),
      api(`/v1/prices?tld=com&years=${admin}`),
      api(`/v1/renewals?state=${hook}`),
      api('/v1/api-keys', { method: 'POST', body: { name: 'x', scopes: [admin] } }),
      api(`/v1/domains/${hook}.com/renew`, { method: 'POST', body: { years: admin } }),
      api('/v1/accounts', { key: `${admin}x` }),
    ]);
    for (const res of responses) {
      const text = await res.text();
      expect(res.status, text).toBeGreaterThanOrEqual(400);
      expect(res.status, text).not.toBe(500);
      expect(text).not.toContain(admin);
      expect(text).not.toContain(hook);
    }
    expect(leaksSoFar()).toEqual([]);
  });

  it('keeps an API key pasted into a path or a query out of the request log line and the reply', async () => {
    // A real key (in D1, not a configured secret): only its shape can give it away.
    const key = await keyWith(['read']);
    const before = guardRecord.length;
    const responses = await Promise.all([
      api(`/v1/no-such-route/${key}`),
      api(`/v1/domains/${key}`),
      api(`/v1/domains?limit=5&cursor=${key}`),
      api(`/v1/accounts?note=${encodeURIComponent(key)}`, { key }),
    ]);
    for (const res of responses) expect(await res.text()).not.toContain(key);
    const requestLines = guardRecord
      .slice(before)
      .filter((s) => s.where.startsWith('console') && s.text.includes('"msg":"request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(responses.length);
    for (const line of requestLines) expect(line.text).not.toContain(key);
    expect(requestLines.map((l) => l.text).join('\n')).toContain('/v1/no-such-route/[redacted]');
  });
});
