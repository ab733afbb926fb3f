/**
 * Several accounts of one registrar at every door (issue 20, "Behaviour"): the worker runs with
 * `ACCOUNTS` naming a second Dynadot account, `dynadot-b`, that points at the same Dynadot
 * simulator with the same key, so every domain of that simulator is visible in both accounts.
 * Through the real worker entry and the simulators over real sockets: a renewal without `account`
 * is refused naming both, with `account` it is recorded under that account; the bot asks which one
 * with a button per account; availability and prices name the answering account and its
 * registrar; /v1/accounts lists the second account; an unknown name is refused, naming it, at each
 * door. (Renewals landing at the right one of two separate simulators are tested elsewhere.)
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { ADMIN_KEY, BASE, type ProblemBody } from './api-support';
import { clearRenewalTables, daysFromNow, pump, seedDomain } from './renewals-support';
import {
  callbackUpdate,
  clearTelegramCalls,
  lastButtons,
  messageUpdate,
  OPERATOR,
  OTHER_OPERATOR,
  telegramCalls,
  VIEWER,
} from './telegram-support';
import { event, standardDelivery } from './webhook-client';

const bindings = env as unknown as Record<string, string>;

/** The global env's registrars, plus `dynadot-b` reading the same simulator with the same key. */
const engine = pump({
  ACCOUNTS:
    'com35=com35,dynadot=dynadot,dynadot-b=dynadot,logicboxes=logicboxes,alibaba=alibaba,mrdomain=mrdomain',
  DYNADOT_B_BASE_URL: bindings.DYNADOT_BASE_URL!,
  DYNADOT_B_API_KEY: bindings.DYNADOT_API_KEY!,
});

/** One request to the worker entry with the two-Dynadot-accounts env. */
async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, init), engine.env as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function api(path: string, body?: unknown): Promise<Response> {
  return call(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A Telegram update through the worker entry; what the bot sent or edited in answer. */
async function telegram(update: unknown): Promise<string[]> {
  await clearTelegramCalls();
  const res = await call('/telegram/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': bindings.TELEGRAM_WEBHOOK_SECRET!,
    },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  return (await telegramCalls())
    .filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText')
    .map((c) => String(c.payload.text));
}

/** The alert a button tap was answered with, if any. */
async function callbackAnswer(): Promise<string | undefined> {
  const [answer] = await telegramCalls('answerCallbackQuery');
  return answer?.payload.text as string | undefined;
}

/** A name only the Dynadot simulator holds, so exactly the two Dynadot accounts see it. */
let domain = '';
beforeEach(async () => {
  domain = `two-accounts-${crypto.randomUUID().slice(0, 8)}.com`;
  await seedDomain('dynadot', domain, daysFromNow(40));
});

// The intents recorded here name dynadot-b, which the global env (the real queue's) does not have.
afterAll(clearRenewalTables);

async function renewalRow(id: string) {
  return env.DB.prepare('SELECT account, provider, domain, state FROM renewals WHERE id = ?')
    .bind(id)
    .first<{ account: string; provider: string; domain: string; state: string }>();
}

describe('two accounts of one registrar', () => {
  it('GET /v1/accounts lists the second account with its registrar and capabilities', async () => {
    // health=false: the gate's own health ping reads the global env, which has no dynadot-b.
    const res = await api('/v1/accounts?health=false');
    expect(res.status).toBe(200);
    const { accounts } = (await res.json()) as {
      accounts: Array<{ key: string; provider: string; capabilities: string[] }>;
    };
    const dynadots = accounts.filter((a) => a.provider === 'dynadot');
    expect(dynadots.map((a) => a.key)).toEqual(['dynadot', 'dynadot-b']);
    expect(dynadots[1]!.capabilities).toEqual(dynadots[0]!.capabilities);
    expect(dynadots[1]!.capabilities).toContain('renew');
  });

  it('GET /health lists both accounts of the registrar', async () => {
    const res = await call('/health');
    const { accounts } = (await res.json()) as { accounts: Array<{ account: string; provider: string }> };
    expect(accounts.filter((a) => a.provider === 'dynadot').map((a) => a.account)).toEqual([
      'dynadot',
      'dynadot-b',
    ]);
  });

  it('refuses a REST renewal without account, naming both accounts, and records one with account under it', async () => {
    const ambiguous = await api(`/v1/domains/${domain}/renew`, { years: 1 });
    const problem = (await ambiguous.json()) as ProblemBody;
    expect(ambiguous.status, problem.detail).toBe(400);
    expect(problem.detail).toMatch(/several accounts \(dynadot, dynadot-b\)/);
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'account' })]);

    const res = await api(`/v1/domains/${domain}/renew`, { years: 1, account: 'dynadot-b' });
    const body = (await res.json()) as { id: string; account: string };
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.account).toBe('dynadot-b');
    expect(await renewalRow(body.id)).toMatchObject({ account: 'dynadot-b', provider: 'dynadot', domain });
  });

  it('a billing webhook renewal without account is refused naming both accounts', async () => {
    const d = standardDelivery(event('domain.renew', { domain, years: 1, reference: `INV-${domain}` }));
    const res = await call('/webhooks/billing/standard', {
      method: 'POST',
      headers: d.headers,
      body: d.body,
    });
    const problem = (await res.json()) as ProblemBody;
    expect(res.status, problem.detail).toBe(400);
    expect(problem.detail).toMatch(/dynadot, dynadot-b/);
  });

  it('availability and prices name the account that answered, for each Dynadot account', async () => {
    for (const account of ['dynadot', 'dynadot-b']) {
      const res = await api(`/v1/availability?domain=${domain}&domain=free-${domain}&account=${account}`);
      const { results } = (await res.json()) as {
        results: Array<{ domain: string; available: boolean | null; account?: string; provider?: string }>;
      };
      expect(res.status).toBe(200);
      expect(results).toEqual([
        expect.objectContaining({ domain, available: false, account, provider: 'dynadot' }),
        expect.objectContaining({ domain: `free-${domain}`, available: true, account, provider: 'dynadot' }),
      ]);
    }
    const res = await api('/v1/prices?tld=com');
    expect(res.status).toBe(200);
    const { prices } = (await res.json()) as { prices: Array<{ account: string; provider: string }> };
    expect(
      prices
        .filter((p) => p.provider === 'dynadot')
        .map((p) => p.account)
        .sort(),
    ).toEqual(['dynadot', 'dynadot-b']);
  });

  it('the bot’s /renew asks which account, and the chosen button leads to that account’s confirmation', async () => {
    expect(await telegram(messageUpdate(OPERATOR, `/renew ${domain} 1`))).toEqual([
      `${domain} is held by several accounts (dynadot, dynadot-b). Which one?`,
    ]);
    const buttons = await lastButtons();
    expect(buttons.map((b) => b.text)).toEqual(['dynadot', 'dynadot-b (dynadot)']);
    const pickB = buttons[1]!.callback_data;

    // Only the asker may choose, and a viewer never.
    await telegram(callbackUpdate(OTHER_OPERATOR, pickB, 700));
    expect(await callbackAnswer()).toBe('Only the person who asked can choose.');
    await telegram(callbackUpdate(VIEWER, pickB, 700));
    expect(await callbackAnswer()).toMatch(/Only operators/);

    const [summary] = await telegram(callbackUpdate(OPERATOR, pickB, 700));
    expect(summary).toMatch(
      new RegExp(
        `^Renew ${domain.replace(/\./g, '\\.')} for 1 year\\(s\\)\\?\\nRegistrar account: dynadot-b\\n`,
      ),
    );
    const [confirm] = (await lastButtons()).map((b) => b.callback_data);
    expect(confirm).toMatch(/^renew:ok:/);

    // The choice is used: a second tap changes nothing.
    expect(await telegram(callbackUpdate(OPERATOR, pickB, 700))).toEqual([]);
    expect(await callbackAnswer()).toBe('This choice was already made.');

    const [submitted] = await telegram(callbackUpdate(OPERATOR, confirm!, 700));
    const id = /\(id (rnw_[0-9a-f]+)\)/.exec(submitted ?? '')?.[1];
    expect(id, submitted).toBeDefined();
    expect(await renewalRow(id!)).toMatchObject({ account: 'dynadot-b', domain });
  });

  it('the bot takes the account as the third argument, and /info asks which account too', async () => {
    const [summary] = await telegram(messageUpdate(OPERATOR, `/renew ${domain} 2 dynadot-b`));
    expect(summary).toMatch(/\nRegistrar account: dynadot-b\n/);

    expect(await telegram(messageUpdate(VIEWER, `/info ${domain}`))).toEqual([
      `${domain} is held by several accounts (dynadot, dynadot-b). Which one?`,
    ]);
    const [, pickB] = (await lastButtons()).map((b) => b.callback_data);
    const [info] = await telegram(callbackUpdate(VIEWER, pickB!, 701));
    expect(info).toMatch(
      new RegExp(`^${domain.replace(/\./g, '\\.')}\\nRegistrar account: dynadot-b\\nExpires: `),
    );
  });
});

describe('an unknown account name', () => {
  it('is refused, naming it, at the REST API', async () => {
    for (const path of [
      '/v1/accounts/nope/balance',
      '/v1/domains/example.com?account=nope',
      '/v1/availability?domain=example.com&account=nope',
      '/v1/prices?tld=com&account=nope',
    ]) {
      const res = await api(path);
      const problem = (await res.json()) as ProblemBody;
      expect(res.status, path).toBe(404);
      expect(problem.detail, path).toContain('"nope"');
    }
    const renewal = await api(`/v1/domains/${domain}/renew`, { years: 1, account: 'nope' });
    expect(renewal.status).toBe(404);
    expect(((await renewal.json()) as ProblemBody).detail).toContain('"nope"');
  });

  it('is refused by the name rule before any look-up when it cannot be a name', async () => {
    for (const [path, body] of [
      ['/v1/prices?tld=com&account=Not_A_Name', undefined],
      [`/v1/domains/${domain}/renew`, { years: 1, account: 'Not_A_Name' }],
    ] as const) {
      const res = await api(path, body);
      const problem = (await res.json()) as ProblemBody;
      expect(res.status, path).toBe(400);
      expect(problem.errors, path).toEqual([expect.objectContaining({ field: 'account' })]);
    }
  });

  it('is refused, naming it, by the billing webhooks and the bot', async () => {
    for (const type of ['domain.renew', 'domain.info', 'domain.check']) {
      const d = standardDelivery(
        event(type, { domain, years: 1, account: 'nope', reference: `INV-${domain}` }),
      );
      const res = await call('/webhooks/billing/standard', {
        method: 'POST',
        headers: d.headers,
        body: d.body,
      });
      const problem = (await res.json()) as ProblemBody;
      expect(res.status, type).toBe(404);
      expect(problem.detail, type).toContain('"nope"');
    }
    for (const command of [`/renew ${domain} 1 nope`, `/info ${domain} nope`]) {
      expect(await telegram(messageUpdate(OPERATOR, command)), command).toEqual([
        'Not found: no registrar account named "nope" is configured',
      ]);
    }
  });
});
