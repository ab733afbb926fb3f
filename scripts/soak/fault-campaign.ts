/**
 * The fault campaign (issue 13, item 1), run against the whole product on this machine: every
 * simulator, `wrangler dev` serving the worker with its real queue consumer, Durable Objects and
 * D1 (scripts/local-stack.ts), and the fake Telegram Bot API.
 *
 * N renewal intents, spread over every simulated registrar, arrive through the three front doors
 * the way real clients send them, and the way careless integrators and attackers do (issue 17):
 *  - API: POST /v1/domains/{d}/renew with an Idempotency-Key, sent 1–3 times (some concurrently);
 *    or three requests at once with `years` 1, 2 and 3 under three keys and no expected expiry
 *    (the years race); or one key sent at once with three different bodies (key reuse);
 *  - billing webhook: a signed Standard Webhooks delivery, redelivered 1–2 more times; or one Stripe
 *    payment reported twice (`checkout.session.completed`, then `invoice.paid` of the same payment
 *    intent, no expected expiry), each event possibly redelivered;
 *  - bot: `/renew d 1`, then the Confirm button tapped twice at once (double tap);
 *  - a health flood all along: public `/health` (which must never reach a registrar) and the
 *    keyed deep check (at most one ping per account per minute, behind every money call);
 *  - the 35.com bridge, attacked directly: a signed RenewDomain captured and replayed as is
 *    (1–3 times, some at once), then re-signed with a fresh nonce (same renewal): one renewal;
 *  - service renewals (issue 23), one intent in four: 35.com hosting, mail and exclusive-sale mail,
 *    MrDomain hosting and certificates, through the API (with the same shapes) and the standard
 *    billing webhook's `service.renew` (service-intents.ts).
 * Meanwhile the simulators inject faults on random calls (drops before and after acting, 5xx,
 * HTML pages, truncated bodies, garbage, timeouts on Dynadot) and the worker is restarted
 * (`wrangler dev` stopped and started on the same persisted state) a few times mid-campaign.
 *
 * Afterwards, effects are counted at the simulators (`state().renewals`, `serviceRenewals`), never
 * in our own code: double renewals, lost intents (no final state, or `needs_attention` without a
 * reason), orphan rows (a renewal no client was ever answered with: what a refused request left
 * behind), every renewal that passed through `outcome_unknown` reconciled, and each final state
 * checked against what the registrar did.
 */
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { Webhook } from 'standardwebhooks';
import { STACK_BRIDGE_SECRET } from '../../sim/stack';
import { accountPrefix } from '../../src/core/account-names';
import { COMMAND_PATH, signedBridgeHeaders, spendingCltrid } from '../../src/providers/com35/bridge-protocol';
import { toWireDomain } from '../../src/providers/com35/codec';
import { startFakeTelegram } from '../../test/setup/fake-telegram';
import { startLocalStack } from '../local-stack';
import { RelayTally, restartBridgeMidRelay } from './relay-cut';
import {
  itemKeyOf,
  SERVICE_VARIANTS,
  type ServiceTarget,
  type ServiceVariantName,
  seedServices,
  serviceEffects,
  serviceExtras,
  serviceMismatch,
  serviceRenewPath,
  serviceTarget,
  serviceWebhookData,
} from './service-intents';

export interface CampaignOptions {
  intents: number;
  seed: number;
  /** Worker restarts spread over the campaign, and as many 35.com bridge restarts between them. */
  restarts: number;
  /** Intents in flight at once. */
  concurrency?: number;
  /** Probability that an intent comes with a fault rule at its registrar. */
  faultRate?: number;
  /** How long to wait for every renewal to reach a final state after the last intent. */
  settleMs?: number;
  log?: (line: string) => void;
  /**
   * Item 5: while the intents flow, this many clients load `GET /v1/availability` (a new name per
   * request, faults on) — the benchmark's load run with faults, in the same campaign.
   */
  load?: { connections: number };
  /**
   * Issue 21: every simulated HTTP account routed through the bridge's relay, the simulators
   * answering only the relay's address (the `LOCAL_ALLOWLIST=1` stack), so a call that bypasses
   * the relay fails loudly; each bridge restart then cuts a relayed renew in flight.
   */
  relay?: boolean;
  /** Bridge restarts (default: as many as worker restarts), falling between them. */
  bridgeRestarts?: number;
}

export interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

type Door = 'api' | 'webhook' | 'bot';

/** How an intent is sent: plainly, or in one of the shapes that used to renew twice. */
type Shape = 'plain' | 'years_race' | 'key_reuse' | 'payment_twice';

const SHAPES_BY_DOOR: Record<Door, readonly Shape[]> = {
  api: ['plain', 'years_race', 'key_reuse'],
  webhook: ['plain', 'payment_twice'],
  bot: ['plain'],
};

/**
 * One intent in SERVICE_SHARE renews a service (issue 23). Services come through the API and the
 * standard billing webhook: the bot renews domains only, and Stripe's metadata names a domain.
 */
const SERVICE_SHARE = 4;
const SERVICE_DOORS = ['api', 'webhook'] as const;

const FINAL = new Set(['confirmed', 'failed', 'needs_attention']);

interface Intent {
  index: number;
  /** The item's key in the renewals table: the domain name, or `<kind>:<id>` for a service. */
  domain: string;
  /** Set for a service renewal; the intent's account is the service's. */
  service?: ServiceTarget;
  account: string;
  door: Door;
  shape: Shape;
  /** Every renewal id a client was answered with (202, or a 409 naming the renewal it met). */
  answeredIds: Set<string>;
  expectedExpiry: string;
  /** Door-level attempts that got an answer accepting the intent. */
  accepted: number;
  sends: number;
  renewalId?: string;
  refusedReason?: string;
}

export interface CampaignReport {
  date: string;
  seed: number;
  intents: number;
  accounts: string[];
  byDoor: Record<Door, number>;
  byShape: Record<Shape, number>;
  /** 409 answers by shape and `code` (`years_race: renewal_in_progress`…). */
  refusals: Record<string, number>;
  /** Renewal rows no client was answered with (only API and webhook intents, whose answers name them). */
  orphanRows: Array<{ domain: string; id: string; state: string }>;
  /**
   * Health requests made while the intents flowed, and the distinct `checkedAt` each account's deep
   * answers carried (each is one real ping): at most one a minute per account, plus one.
   */
  healthFlood: {
    public: number;
    deep: number;
    failed: number;
    /** Answers by door and status; 599 = no answer (the worker was restarting). */
    statuses: Record<string, number>;
    seconds: number;
    pingsByAccount: Record<string, number>;
  };
  /** Replays of captured signed renew commands sent straight to the 35.com bridge. */
  bridgeReplays: { probes: number; replays: number; forwarded: number; doubleRenewals: number };
  sends: number;
  faultsInjected: Record<string, number>;
  restarts: number;
  bridgeRestarts: number;
  finalStates: Record<string, number>;
  upstreamRenewals: number;
  doubleRenewals: Array<{ domain: string; count: number }>;
  lostIntents: Array<{ domain: string; door: Door; state?: string; reason?: string }>;
  passedOutcomeUnknown: number;
  outcomeUnknownUnreconciled: number;
  mismatches: Array<{ domain: string; state: string; upstream: number }>;
  needsAttention: Array<{ domain: string; reason?: string }>;
  /** The service intents' own figures (the domain figures above leave them out). */
  services: ServiceFigures;
  load?: LoadFigures;
  /** With `relay`: the routed accounts, the bridge's relayed calls, and restarts with a renew in flight. */
  relay?: {
    routed: string[];
    callsByOutcome: Record<string, number>;
    callsByOrigin: Record<string, Record<string, number>>;
    restartsWithRenewInFlight: number;
  };
  /** Largest number of calls in flight at once each simulator saw, where it counts them. */
  upstreamMaxConcurrency: Record<string, unknown>;
  durationMs: number;
}

/** Service renewals (issue 23), judged against the simulators' `serviceRenewals`. */
export interface ServiceFigures {
  intents: number;
  byVariant: Partial<Record<ServiceVariantName, number>>;
  byDoor: { api: number; webhook: number };
  byShape: Partial<Record<Shape, number>>;
  /** Final states, and by variant. */
  finalStates: Record<string, number>;
  finalByVariant: Partial<Record<ServiceVariantName, Record<string, number>>>;
  /** Renewals the simulators performed on the campaign's services. */
  upstreamRenewals: number;
  passedOutcomeUnknown: number;
  outcomeUnknownUnreconciled: number;
  doubleRenewals: Array<{ item: string; count: number }>;
  lostIntents: Array<{ item: string; door: Door; state?: string; reason?: string }>;
  orphanRows: Array<{ item: string; id: string; state: string }>;
  mismatches: Array<{ item: string; state: string; why: string }>;
  /** Why each failed one failed (a refusal: nothing was spent). */
  failed: Array<{ item: string; reason?: string }>;
  /** With whether the registrar had in fact renewed (a lost reply) or not (nothing spent). */
  needsAttention: Array<{ item: string; reason?: string; renewedUpstream: number }>;
}

/** mulberry32: a small seeded PRNG so a campaign can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TELEGRAM = {
  TELEGRAM_BOT_TOKEN: '123456789:CAMPAIGN-bot-token-0001',
  TELEGRAM_WEBHOOK_SECRET: 'campaign-telegram-secret-0001',
  TELEGRAM_USERS: '1001:operator',
};
const OPERATOR = 1001;
const WEBHOOK_SECRET = `whsec_${Buffer.from('campaign-standard-webhook-secret-0001').toString('base64')}`;
const STRIPE_SECRET = 'whsec_CampaignStripeSecret0000000000001';

/** Stripe's scheme, from its documentation: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
function stripeSignature(body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', STRIPE_SECRET).update(`${t}.${body}`).digest('hex')}`;
}

const FAULTS = [
  { kind: 'drop_before' },
  { kind: 'drop_after' },
  { kind: 'http_status', status: 500 },
  { kind: 'http_status', status: 502 },
  { kind: 'http_status', status: 503 },
  { kind: 'html' },
  { kind: 'truncate' },
  { kind: 'garbage' },
] as const;

/** Each simulator's name for the renew call: half the faults aim there, where money moves. */
const RENEW_OPERATION: Record<string, string> = {
  dynadot: 'renew',
  logicboxes: 'domains/renew',
  alibaba: 'SaveSingleTaskForCreatingOrderRenew',
  mrdomain: 'domain/renew',
  com35: 'RenewDomain',
};

/**
 * A client told "try again later" (a 5xx, or the bot's sentence) tries again, as a billing system
 * or a person would: 10 more times, 1 s, 2 s, … 10 s apart (55 s in all). An intent still refused
 * after that is reported as lost.
 */
const RETRIES = 10;
const backoff = (retry: number) => new Promise((r) => setTimeout(r, 1_000 * (retry + 1)));

function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function control(base: string, name: string, body: unknown, method = 'POST'): Promise<unknown> {
  const res = await fetch(`${base}/__sim/${name}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sim ${base} ${name}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Fault rules waiting at a simulator (an empty POST answers the pending list). */
async function pendingFaults(base: string): Promise<number> {
  const res = (await control(base, 'faults', [])) as { pending?: unknown[] };
  return res.pending?.length ?? 0;
}

/** Seed many domains and a large balance, in each simulator's own control format. */
async function seed(key: string, base: string, domains: string[], expiry: string): Promise<void> {
  const at = `${expiry}T12:00:00.000Z`;
  if (key === 'dynadot') {
    await control(base, 'domains', { domains: domains.map((name) => ({ name, expiresAt: at })) });
    await control(base, 'balance', { amount: '100000000' });
  } else if (key === 'logicboxes') {
    await control(base, 'domains', { domains: domains.map((domain) => ({ domain, expiresAt: at })) });
    await control(base, 'balance', { amount: '100000000' });
  } else if (key === 'alibaba') {
    for (const domain of domains) await control(base, 'domains', { domain, expiresAt: at });
    await control(base, 'config', { balance: '100000000.00', taskDelayMs: 0 });
  } else if (key === 'mrdomain') {
    await control(
      base,
      'domains',
      domains.map((name) => ({ name, tsExpir: expiry })),
    );
    await control(base, 'balance', { amount: '100000000.00' });
  } else if (key === 'com35') {
    await control(
      base,
      'domains',
      domains.map((name) => ({ name, exDate: expiry })),
    );
    await control(base, 'balance', { amount: '100000000.00' });
  } else {
    throw new Error(`the campaign does not know how to seed ${key} yet`);
  }
}

export async function runFaultCampaign(opts: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const random = rng(opts.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const telegram = await startFakeTelegram();
  const stack = await startLocalStack({
    log,
    // Without wrangler's devtools inspector: its Node side cannot keep up with this traffic.
    inspector: false,
    allowList: opts.relay ?? false,
    workerVars: {
      ...TELEGRAM,
      TELEGRAM_API_ROOT: telegram.url,
      WEBHOOK_SECRET_STANDARD: WEBHOOK_SECRET,
      WEBHOOK_SECRET_STRIPE: STRIPE_SECRET,
      LOG_LEVEL: 'warn',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      RENEWAL_RECONCILE_DELAYS: '1,2,3,5',
      // Shortened with the delays: 12 checks of ≤ 5 s end long before the default 300 s decision
      // age, which turned every lost reply at a guarded registrar into needs_attention.
      RENEWAL_DECIDE_AFTER_SECONDS: '15',
      RENEWAL_LEASE_SECONDS: '20',
      // Lost queue messages (a restarted local worker drops its in-memory queue) come back through
      // the sweep, which the campaign runs on demand; production keeps 300 s and the hourly cron.
      RENEWAL_SWEEP_AFTER_SECONDS: '10',
      DYNADOT_TIMEOUT_MS: '3000',
      ALIBABA_TASK_POLL_INTERVAL_MS: '100',
    },
  });
  const admin = { authorization: `Bearer ${stack.adminApiKey}` };
  const sims = stack.stack.simulators;
  const accounts = Object.keys(sims);
  const intents: Intent[] = [];
  const faultsInjected: Record<string, number> = {};
  const refusals: Record<string, number> = {};
  let restarts = 0;
  let bridgeRestarts = 0;
  const relayTally = new RelayTally();
  const bridgeCuts: Array<Promise<boolean>> = [];
  try {
    const expectedExpiry = ymd(Date.now() + 200 * 86_400_000);
    const doors: Door[] = ['api', 'webhook', 'bot'];
    const variants = SERVICE_VARIANTS.filter((v) => accounts.includes(v.account));
    let domains = 0;
    let services = 0;
    for (let i = 0; i < opts.intents; i++) {
      const base = { index: i, answeredIds: new Set<string>(), expectedExpiry, accepted: 0, sends: 0 };
      if (variants.length > 0 && i % SERVICE_SHARE === SERVICE_SHARE - 1) {
        // Doors alternate and variants turn, so every (variant, door) pair and every API shape of
        // every variant comes up as the count grows.
        const s = services++;
        const service = serviceTarget(variants[s % variants.length]!, opts.seed, i);
        const door = SERVICE_DOORS[s % SERVICE_DOORS.length]!;
        const shapes = door === 'api' ? SHAPES_BY_DOOR.api : (['plain'] as const);
        intents.push({
          ...base,
          domain: itemKeyOf(service),
          service,
          account: service.account,
          door,
          shape: shapes[Math.floor(s / SERVICE_DOORS.length) % shapes.length]!,
        });
        continue;
      }
      const d = domains++;
      const door = doors[Math.floor(d / accounts.length) % doors.length]!;
      const shapes = SHAPES_BY_DOOR[door];
      intents.push({
        ...base,
        domain: `fc${opts.seed}n${i}.com`,
        account: accounts[d % accounts.length]!,
        door,
        // Every shape of a door meets every registrar early on, whatever the number of intents.
        shape: shapes[(d + Math.floor(d / accounts.length)) % shapes.length]!,
      });
    }
    // One bridge replay probe per 20 intents, on domains of their own (never an intent's).
    const bridgeUrl = stack.stack.components.bridge;
    const probeDomains =
      bridgeUrl && accounts.includes('com35')
        ? Array.from(
            { length: Math.max(1, Math.floor(opts.intents / 20)) },
            (_, k) => `fc${opts.seed}r${k}.com`,
          )
        : [];
    const bridgeReplays = { probes: 0, replays: 0, forwarded: 0, doubleRenewals: 0 };
    for (const account of accounts) {
      await seed(
        account,
        sims[account]!.controlUrl,
        [
          ...intents.filter((t) => t.account === account && !t.service).map((t) => t.domain),
          ...(account === 'com35' ? probeDomains : []),
        ],
        expectedExpiry,
      );
      // The bot finds a domain's account in the inventory.
      const sync = await fetch(`${stack.url}/v1/sync?account=${account}`, { method: 'POST', headers: admin });
      if (sync.status !== 200) throw new Error(`sync ${account}: ${sync.status} ${await sync.text()}`);
    }
    const serviceTargets = intents.flatMap((t) => (t.service ? [t.service] : []));
    await seedServices(control, (account) => sims[account]!.controlUrl, serviceTargets, expectedExpiry);
    log(
      `seeded ${intents.length - serviceTargets.length} domains and ${serviceTargets.length} services over ${accounts.join(', ')}`,
    );

    // The first intent of each service variant meets the case that matters most for a spend with
    // no registrar guard: its renew command acts and the reply is lost. The others take their
    // chances as the domains do.
    const lostReplyMet = new Set<ServiceVariantName>();
    const injectFault = async (intent: Intent) => {
      if (intent.service && !lostReplyMet.has(intent.service.variant)) {
        lostReplyMet.add(intent.service.variant);
        faultsInjected['drop_after (on service renew)'] =
          (faultsInjected['drop_after (on service renew)'] ?? 0) + 1;
        const rule = { fault: { kind: 'drop_after' }, match: intent.service.renewOperation, times: 1 };
        await control(sims[intent.account]!.controlUrl, 'faults', rule);
        return;
      }
      if (random() >= (opts.faultRate ?? 0.6)) return;
      const fault: { kind: string; status?: number; ms?: number } =
        intent.account === 'dynadot' && random() < 0.15
          ? { kind: 'timeout_after', ms: 4_000 }
          : intent.account === 'com35' && random() < 0.2
            ? { kind: pick(['bad_checksum', 'split'] as const) }
            : pick(FAULTS);
      const name = fault.kind === 'http_status' ? `http_${fault.status}` : fault.kind;
      faultsInjected[name] = (faultsInjected[name] ?? 0) + 1;
      const renewOp = intent.service?.renewOperation ?? RENEW_OPERATION[intent.account];
      const match = renewOp && random() < 0.5 ? renewOp : '*';
      if (match !== '*') {
        const on = `${name} (on ${intent.service ? 'service ' : ''}renew)`;
        faultsInjected[on] = (faultsInjected[on] ?? 0) + 1;
      }
      await control(sims[intent.account]!.controlUrl, 'faults', { fault, match, times: 1 });
    };

    const post = (path: string, init: RequestInit) =>
      fetch(`${stack.url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) }).catch(
        (error: Error) => new Response(`client: ${error.message}`, { status: 599 }),
      );
    const idOf = (text: string) => /"(rnw_[0-9a-f]+)"/.exec(text)?.[1];

    /**
     * One client's request, retried as a real client would while it is told "try again later"
     * (5xx, 429, no answer): settled by a 202 (accepted) or a 4xx (a 409 names the renewal met).
     */
    const sendUntilAnswered = async (t: Intent, send: () => Promise<Response>): Promise<void> => {
      for (let retry = 0; retry <= RETRIES; retry++) {
        if (retry > 0) await backoff(retry - 1);
        t.sends++;
        const res = await send();
        const text = await res.text();
        const id = idOf(text);
        if (res.status === 202 || res.status === 200) {
          t.accepted++;
          if (id) t.answeredIds.add(id);
          t.renewalId ??= id;
          return;
        }
        t.refusedReason = `${res.status} ${text.slice(0, 200)}`;
        if (res.status === 409 && !/"retryable":true/.test(text)) {
          const code = `${t.service ? 'service ' : ''}${t.shape}: ${/"code":"([a-z_]+)"/.exec(text)?.[1] ?? 'conflict'}`;
          refusals[code] = (refusals[code] ?? 0) + 1;
          if (id) t.answeredIds.add(id);
          return;
        }
        if (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 409) return;
      }
    };

    const apiRenew = (t: Intent, key: string, body: Record<string, unknown>) => () =>
      post(t.service ? serviceRenewPath(t.service) : `/v1/domains/${t.domain}/renew`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json', 'idempotency-key': key },
        // A service's account is in its path; a domain names it in the body.
        body: JSON.stringify(
          t.service ? { ...body, ...serviceExtras(t.service) } : { ...body, account: t.account },
        ),
      });

    const viaApi = async (t: Intent) => {
      const key = `campaign-${opts.seed}-${t.index}`;
      if (t.shape === 'years_race') {
        // Three keys, three `years`, no expected expiry, all at once: one renewal, two refusals.
        await Promise.all(
          [1, 2, 3].map((years) => sendUntilAnswered(t, apiRenew(t, `${key}-y${years}`, { years }))),
        );
        return;
      }
      if (t.shape === 'key_reuse') {
        // One key, three bodies at once: one of them wins, the others are refused and leave nothing.
        const bodies = [{ years: 1, expectedExpiry: t.expectedExpiry }, { years: 2 }, { years: 1 }];
        await Promise.all(bodies.map((body) => sendUntilAnswered(t, apiRenew(t, key, body))));
        return;
      }
      const send = apiRenew(t, key, { years: 1, expectedExpiry: t.expectedExpiry });
      const copies = 1 + Math.floor(random() * 3);
      if (random() < 0.5) await Promise.all(Array.from({ length: copies }, () => sendUntilAnswered(t, send)));
      else for (let c = 0; c < copies; c++) await sendUntilAnswered(t, send);
    };

    /** One Stripe payment reported as a checkout session, then (seconds later) as a paid invoice. */
    const paymentTwice = async (t: Intent) => {
      const pi = `pi_campaign_${opts.seed}_${t.index}`;
      const invoice = `in_campaign_${opts.seed}_${t.index}`;
      const metadata = { domain: t.domain, years: '1', account: t.account };
      const events = [
        {
          id: `evt_cs_${opts.seed}_${t.index}`,
          type: 'checkout.session.completed',
          object: {
            id: `cs_campaign_${opts.seed}_${t.index}`,
            object: 'checkout.session',
            payment_status: 'paid',
            payment_intent: pi,
            invoice,
            metadata,
          },
        },
        {
          id: `evt_in_${opts.seed}_${t.index}`,
          type: 'invoice.paid',
          object: { id: invoice, object: 'invoice', status: 'paid', payment_intent: pi, metadata },
        },
      ];
      for (const e of events) {
        const body = JSON.stringify({
          id: e.id,
          object: 'event',
          type: e.type,
          created: Math.floor(Date.now() / 1000),
          data: { object: e.object },
        });
        // Stripe redelivers an event (same id) now and then.
        const copies = 1 + Math.floor(random() * 2);
        for (let c = 0; c < copies; c++) {
          await sendUntilAnswered(t, () =>
            post('/webhooks/billing/stripe', {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body) },
              body,
            }),
          );
        }
      }
    };

    const viaWebhook = async (t: Intent) => {
      if (t.shape === 'payment_twice') return paymentTwice(t);
      const hook = new Webhook(WEBHOOK_SECRET);
      const id = `msg_campaign_${opts.seed}_${t.index}`;
      const reference = `inv-${opts.seed}-${t.index}`;
      const payload = JSON.stringify(
        t.service
          ? {
              type: 'service.renew',
              timestamp: new Date().toISOString(),
              data: serviceWebhookData(t.service, t.expectedExpiry, reference),
            }
          : {
              type: 'domain.renew',
              timestamp: new Date().toISOString(),
              data: {
                domain: t.domain,
                years: 1,
                expectedExpiry: t.expectedExpiry,
                account: t.account,
                reference,
              },
            },
      );
      // A redelivery is the same message re-signed at its own time, as senders do.
      const deliver = () => {
        const now = new Date();
        return post('/webhooks/billing/standard', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': hook.sign(id, now, payload),
          },
          body: payload,
        });
      };
      const copies = 1 + Math.floor(random() * 3);
      for (let c = 0; c < copies; c++) await sendUntilAnswered(t, deliver);
    };

    let updateId = opts.seed * 1_000_000;
    const telegramPost = (update: unknown) =>
      post('/telegram/webhook', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': TELEGRAM.TELEGRAM_WEBHOOK_SECRET,
        },
        body: JSON.stringify(update),
      });
    const viaBot = async (t: Intent) => {
      for (let attempt = 0; attempt <= RETRIES && t.accepted === 0; attempt++) {
        if (attempt > 0) await backoff(attempt - 1);
        const text = `/renew ${t.domain} 1`;
        const before = telegram.calls.length;
        t.sends++;
        const res = await telegramPost({
          update_id: ++updateId,
          message: {
            message_id: updateId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: OPERATOR, type: 'private' },
            from: { id: OPERATOR, is_bot: false, first_name: 'Olga', language_code: 'en' },
            text,
            entities: [{ type: 'bot_command', offset: 0, length: 6 }],
          },
        });
        await res.text();
        const summary = telegram.calls
          .slice(before)
          .find(
            (c) =>
              c.method === 'sendMessage' &&
              c.payload.reply_markup &&
              String(c.payload.text).includes(t.domain),
          );
        if (!summary) {
          t.refusedReason = `bot: ${String(
            telegram.calls
              .slice(before)
              .map((c) => c.payload.text)
              .filter(Boolean)
              .join(' | '),
          ).slice(0, 200)}`;
          continue;
        }
        const markup = (
          typeof summary.payload.reply_markup === 'string'
            ? JSON.parse(summary.payload.reply_markup)
            : summary.payload.reply_markup
        ) as { inline_keyboard: Array<Array<{ callback_data: string }>> };
        const confirm = markup.inline_keyboard.flat()[0]!.callback_data;
        const tap = () =>
          telegramPost({
            update_id: ++updateId,
            callback_query: {
              id: String(updateId),
              from: { id: OPERATOR, is_bot: false, first_name: 'Olga', language_code: 'en' },
              chat_instance: '1',
              data: confirm,
              message: {
                message_id: 1,
                date: Math.floor(Date.now() / 1000),
                chat: { id: OPERATOR, type: 'private' },
                text: 'summary',
              },
            },
          }).then((r) => r.text());
        // The double tap: both at once.
        await Promise.all([tap(), tap()]);
        // The engine's renewals for this domain (the bot's intent).
        const list = await post(`/v1/renewals?domain=${t.domain}`, { method: 'GET', headers: admin });
        const found = idOf(await list.text());
        if (found) {
          t.accepted++;
          t.renewalId = found;
        } else t.refusedReason = 'bot: confirmed but no renewal recorded (fault during submit?)';
      }
    };

    /**
     * An attacker who captured one signed renew command on its way to the bridge replays it as is;
     * a worker retry re-signs the same renewal under a fresh nonce. Each must reach 35.com once.
     */
    const replayToBridge = async (domain: string, k: number) => {
      const wire = toWireDomain(domain);
      const body = JSON.stringify({
        category: 'domain',
        action: 'RenewDomain',
        params: { domaintype: wire.domaintype, domain: wire.domain, period: '1' },
        cltrid: await spendingCltrid(`campaign-replay-${opts.seed}-${k}`),
      });
      const signed = async () => ({
        'content-type': 'application/json',
        ...(await signedBridgeHeaders(STACK_BRIDGE_SECRET, { method: 'POST', path: COMMAND_PATH, body })),
      });
      const send = (headers: Record<string, string>) =>
        fetch(`${bridgeUrl}${COMMAND_PATH}`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(60_000),
        })
          .then(async (r) => {
            await r.text();
            return r.status;
          })
          .catch(() => 599);
      const captured = await signed();
      bridgeReplays.probes++;
      await send(captured);
      const copies = 1 + Math.floor(random() * 3);
      const replays =
        random() < 0.5
          ? await Promise.all(Array.from({ length: copies }, () => send(captured)))
          : await (async () => {
              const out: number[] = [];
              for (let c = 0; c < copies; c++) out.push(await send(captured));
              return out;
            })();
      replays.push(await send(await signed()));
      bridgeReplays.replays += replays.length;
      bridgeReplays.forwarded += replays.filter((status) => status === 200).length;
    };

    // The health flood: public liveness and the keyed deep check, from start to last intent.
    const flood = {
      public: 0,
      deep: 0,
      failed: 0,
      statuses: {} as Record<string, number>,
      seconds: 0,
      checkedAt: new Map<string, Set<string>>(),
    };
    let flooding = true;
    const floodStarted = Date.now();
    const floodDone = (async () => {
      while (flooding) {
        const results = await Promise.all([
          ...Array.from({ length: 4 }, () => post('/health', { method: 'GET' })),
          post('/v1/health', { method: 'GET', headers: admin }),
        ]);
        flood.public += 4;
        flood.deep += 1;
        for (const [i, res] of results.entries()) {
          const text = await res.text();
          const status = `${i < 4 ? 'public' : 'deep'} ${res.status}`;
          flood.statuses[status] = (flood.statuses[status] ?? 0) + 1;
          if (res.status !== 200) {
            flood.failed++;
            continue;
          }
          if (i < 4) continue;
          const body = JSON.parse(text) as { accounts?: Array<{ account: string; checkedAt?: string }> };
          for (const a of body.accounts ?? []) {
            if (!a.checkedAt) continue;
            const seen = flood.checkedAt.get(a.account) ?? new Set<string>();
            seen.add(a.checkedAt);
            flood.checkedAt.set(a.account, seen);
          }
        }
        // Paced, so the flood leaves the machine's two cores to the campaign itself.
        await new Promise((r) => setTimeout(r, 100));
      }
      flood.seconds = Math.round((Date.now() - floodStarted) / 1000);
    })();

    const restartAt = new Set(
      Array.from({ length: opts.restarts }, (_, k) =>
        Math.floor(((k + 1) * opts.intents) / (opts.restarts + 1)),
      ),
    );
    let load: LoadFigures | undefined;
    let stopLoad: (() => void) | undefined;
    let loadDone: Promise<void> | undefined;
    if (opts.load) {
      const started = Date.now();
      let n = 0;
      loadDone = new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${stack.url}/v1/availability?domain=load-{n}.com&prices=false`,
            connections: opts.load!.connections,
            duration: 3600,
            timeout: 30,
            headers: admin,
            requests: [
              {
                method: 'GET',
                setupRequest: (req) => ({ ...req, path: req.path?.replace('{n}', String(n++)) }),
              },
            ],
          },
          (error, r) => {
            if (error) return reject(error);
            load = {
              connections: opts.load!.connections,
              seconds: Math.round((Date.now() - started) / 1000),
              requests: r.requests.total,
              rps: r.requests.average,
              p50: r.latency.p50,
              p99: r.latency.p99,
              statusCodes: Object.fromEntries(
                Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [
                  code,
                  (v as { count: number }).count,
                ]),
              ),
              errors: r.errors,
              timeouts: r.timeouts,
            };
            resolve();
          },
        );
        stopLoad = () => instance.stop();
      });
      // Faults keep landing on the load's calls too: one rule per registrar every 200 ms.
      const faultTimer = setInterval(() => {
        for (const key of accounts) {
          if (random() < 0.5) continue;
          const fault = pick(FAULTS);
          const name = `${fault.kind === 'http_status' ? `http_${fault.status}` : fault.kind} (load)`;
          // Only onto a registrar with no rule waiting: rules must not pile up on a registrar the
          // load does not reach, or every call to it would fail for a while.
          void pendingFaults(sims[key]!.controlUrl)
            .then(async (n) => {
              if (n > 0) return;
              faultsInjected[name] = (faultsInjected[name] ?? 0) + 1;
              await control(sims[key]!.controlUrl, 'faults', { fault, match: '*', times: 1 });
            })
            .catch(() => {});
        }
      }, 200);
      const stop = stopLoad;
      stopLoad = () => {
        clearInterval(faultTimer);
        stop?.();
      };
    }
    // Bridge restarts fall halfway between worker restarts and do not wait for calls in flight:
    // the bridge goes down under the worker's feet, as a crash or a deploy would take it.
    const bridgeRestartCount = opts.bridgeRestarts ?? opts.restarts;
    const bridgeAt = new Set(
      stack.stack.restartBridge
        ? Array.from({ length: bridgeRestartCount }, (_, k) =>
            Math.floor(((k + 0.5) * opts.intents) / (bridgeRestartCount + 1)),
          )
        : [],
    );
    const bridgeUrlNow = stack.stack.components.bridge;
    // One restart at a time: a cut waiting in the background for its renew may meet the next one.
    let bridgeRestarting = Promise.resolve();
    const restartBridge = () => {
      bridgeRestarting = bridgeRestarting.then(async () => {
        if (opts.relay && bridgeUrlNow) await relayTally.add(bridgeUrlNow);
        await stack.stack.restartBridge?.();
        bridgeRestarts++;
      });
      return bridgeRestarting;
    };
    // With the relay: each restart cuts a relayed renew in flight, at the HTTP registrars in turn
    // (Dynadot's 3 s timeout left out: its relay may give up before the restart lands).
    const cutAt = accounts.filter((a) => a !== 'com35' && a !== 'dynadot' && RENEW_OPERATION[a]);
    const concurrency = opts.concurrency ?? 4;
    let next = 0;
    const inFlight = new Set<Promise<void>>();
    while (next < intents.length) {
      if (restartAt.has(next) && !restartAt.has(-next - 1)) {
        restartAt.add(-next - 1);
        // Intents keep flowing through the queue while the worker goes down: what was in flight
        // in the old isolate must be finished by the new one (lease expiry, sweep).
        await Promise.all(inFlight);
        log(`restarting the worker at intent ${next}`);
        await stack.restartWorker();
        restarts++;
      }
      if (bridgeAt.delete(next)) {
        const at = opts.relay ? cutAt[bridgeCuts.length % cutAt.length] : undefined;
        if (at) {
          log(`restarting the bridge under a relayed ${at} renew, from intent ${next}`);
          // In the background: intents keep flowing until a renew reaches the simulator.
          bridgeCuts.push(
            restartBridgeMidRelay({
              controlUrl: sims[at]!.controlUrl,
              renewOperation: RENEW_OPERATION[at]!,
              restart: restartBridge,
              waitMs: 30_000,
            }),
          );
        } else {
          log(`restarting the 35.com bridge at intent ${next}`);
          await restartBridge();
        }
      }
      const t = intents[next++]!;
      const probe = t.index % 20 === 0 ? probeDomains[t.index / 20] : undefined;
      const job = (async () => {
        if (probe) await replayToBridge(probe, t.index / 20);
        await injectFault(t);
        if (t.door === 'api') await viaApi(t);
        else if (t.door === 'webhook') await viaWebhook(t);
        else await viaBot(t);
      })().finally(() => inFlight.delete(job));
      inFlight.add(job);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (next % 50 === 0) log(`sent ${next}/${intents.length}`);
    }
    await Promise.all(inFlight);
    const cutsWithRenewInFlight = (await Promise.all(bridgeCuts)).filter(Boolean).length;
    flooding = false;
    await floodDone;
    stopLoad?.();
    await loadDone;
    for (const key of accounts) await control(sims[key]!.controlUrl, 'faults', undefined, 'DELETE');
    log('all intents sent; waiting for final states (sweeping hourly tasks on demand)');

    // Wait for every renewal to be final; run the hourly sweep on demand as the cron would.
    const deadline = Date.now() + (opts.settleMs ?? 180_000);
    let rows: RenewalListItem[] = [];
    let lastSweep = 0;
    while (Date.now() < deadline) {
      rows = await allRenewals(stack.url, admin);
      const open = rows.filter((r) => !FINAL.has(r.state));
      if (open.length === 0 && rows.length > 0) break;
      const byState: Record<string, number> = {};
      for (const r of open) byState[r.state] = (byState[r.state] ?? 0) + 1;
      log(`${rows.length} renewals, ${open.length} not final: ${JSON.stringify(byState)}`);
      // The hourly tasks (inventory sync + renewal sweep) on demand, every 15 s rather than hourly.
      if (Date.now() - lastSweep > 15_000) {
        lastSweep = Date.now();
        await fetch(`${stack.url}/__scheduled?cron=${encodeURIComponent('0 * * * *')}`).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 5_000));
    }
    rows = await allRenewals(stack.url, admin);

    // Effects, counted at the simulators.
    const upstream = new Map<string, number>();
    const probeRenewals = new Map<string, number>();
    let upstreamTotal = 0;
    const upstreamMaxConcurrency: Record<string, unknown> = {};
    for (const key of accounts) {
      const state = (await control(sims[key]!.controlUrl, 'state', undefined, 'GET')) as {
        renewals: Array<{ domain: string }>;
      } & Record<string, unknown>;
      for (const [k, v] of Object.entries(state)) {
        if (
          /max.*(concurren|session|inflight)|overlapping|commandLimitHits|^connections$|^logins$/i.test(k)
        ) {
          upstreamMaxConcurrency[`${key}.${k}`] = v;
        }
      }
      for (const r of state.renewals) {
        if (probeDomains.includes(r.domain))
          probeRenewals.set(r.domain, (probeRenewals.get(r.domain) ?? 0) + 1);
        if (!r.domain.startsWith(`fc${opts.seed}n`)) continue;
        upstream.set(r.domain, (upstream.get(r.domain) ?? 0) + 1);
        upstreamTotal++;
      }
    }
    const byDomain = new Map<string, typeof rows>();
    for (const r of rows) byDomain.set(r.domain, [...(byDomain.get(r.domain) ?? []), r]);
    const passedThroughOutcomeUnknown = async (id: string): Promise<boolean> => {
      const renewal = (await (
        await fetchRetrying(`${stack.url}/v1/renewals/${id}`, { headers: admin })
      ).json()) as { history?: Array<{ to?: string }> };
      return renewal.history?.some((e) => e.to === 'outcome_unknown') ?? false;
    };

    const finalStates: Record<string, number> = {};
    const orphanRows: CampaignReport['orphanRows'] = [];
    const lostIntents: CampaignReport['lostIntents'] = [];
    const mismatches: CampaignReport['mismatches'] = [];
    const needsAttention: CampaignReport['needsAttention'] = [];
    let passedOutcomeUnknown = 0;
    let outcomeUnknownUnreconciled = 0;
    for (const t of intents) {
      if (t.service) continue;
      const mine = byDomain.get(t.domain) ?? [];
      const count = upstream.get(t.domain) ?? 0;
      if (t.door !== 'bot') {
        for (const r of mine)
          if (!t.answeredIds.has(r.id)) orphanRows.push({ domain: t.domain, id: r.id, state: r.state });
      }
      if (mine.length !== 1) {
        lostIntents.push({
          domain: t.domain,
          door: t.door,
          state: mine.length === 0 ? 'no renewal recorded' : `${mine.length} renewals for one intent`,
          reason: t.refusedReason,
        });
        continue;
      }
      const r = mine[0]!;
      finalStates[r.state] = (finalStates[r.state] ?? 0) + 1;
      if (!FINAL.has(r.state) || (r.state === 'needs_attention' && !r.reason)) {
        lostIntents.push({ domain: t.domain, door: t.door, state: r.state, reason: r.reason });
      }
      if (r.state === 'needs_attention') needsAttention.push({ domain: t.domain, reason: r.reason });
      if ((r.state === 'confirmed' && count !== 1) || (r.state === 'failed' && count !== 0)) {
        mismatches.push({ domain: t.domain, state: r.state, upstream: count });
      }
      if (await passedThroughOutcomeUnknown(r.id)) {
        passedOutcomeUnknown++;
        if (!FINAL.has(r.state)) outcomeUnknownUnreconciled++;
      }
    }
    const serviceFigures = await judgeServices(
      intents.filter((t) => t.service),
      byDomain,
      await serviceEffects(control, (account) => sims[account]!.controlUrl, accounts),
      passedThroughOutcomeUnknown,
    );
    bridgeReplays.doubleRenewals = [...probeRenewals.values()].filter((n) => n > 1).length;
    const domainIntents = intents.filter((t) => !t.service);
    if (opts.relay && bridgeUrlNow) await relayTally.add(bridgeUrlNow);
    const doubleRenewals = [...upstream.entries()]
      .filter(([, n]) => n > 1)
      .map(([domain, count]) => ({ domain, count }));
    return {
      date: new Date().toISOString(),
      seed: opts.seed,
      intents: intents.length,
      accounts,
      byDoor: countBy(domainIntents, (t) => t.door, { api: 0, webhook: 0, bot: 0 }),
      byShape: countBy(domainIntents, (t) => t.shape, {
        plain: 0,
        years_race: 0,
        key_reuse: 0,
        payment_twice: 0,
      }),
      refusals,
      orphanRows,
      bridgeReplays,
      healthFlood: {
        public: flood.public,
        deep: flood.deep,
        failed: flood.failed,
        statuses: flood.statuses,
        seconds: flood.seconds,
        pingsByAccount: Object.fromEntries(
          [...flood.checkedAt].map(([account, seen]) => [account, seen.size]),
        ),
      },
      sends: intents.reduce((n, t) => n + t.sends, 0),
      faultsInjected,
      restarts,
      bridgeRestarts,
      finalStates,
      upstreamRenewals: upstreamTotal,
      doubleRenewals,
      lostIntents,
      passedOutcomeUnknown,
      outcomeUnknownUnreconciled,
      mismatches,
      needsAttention,
      services: serviceFigures,
      load,
      upstreamMaxConcurrency,
      relay: opts.relay
        ? {
            routed: accounts.filter((a) => stack.workerEnv[`${accountPrefix(a)}_VIA_BRIDGE`] === 'true'),
            callsByOutcome: relayTally.byOutcome(),
            callsByOrigin: relayTally.byOrigin,
            restartsWithRenewInFlight: cutsWithRenewInFlight,
          }
        : undefined,
      durationMs: Date.now() - started,
    };
  } finally {
    await stack.close();
    await telegram.close();
  }
}

/** How many of `items` fall under each key, starting from `zero`. */
function countBy<T, K extends string>(
  items: readonly T[],
  keyOf: (item: T) => K,
  zero: Record<K, number>,
): Record<K, number>;
function countBy<T, K extends string>(items: readonly T[], keyOf: (item: T) => K): Partial<Record<K, number>>;
function countBy<T, K extends string>(
  items: readonly T[],
  keyOf: (item: T) => K,
  zero: Partial<Record<K, number>> = {},
): Partial<Record<K, number>> {
  const out = { ...zero };
  for (const item of items) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return out;
}

/**
 * The service intents against the renewal rows and the simulators' record: each intent is one
 * renewal row some client was answered with, final (needs_attention with its reason), true to what
 * the registrar did (serviceMismatch), and each service renewed at most once.
 */
async function judgeServices(
  intents: readonly Intent[],
  rowsByItem: ReadonlyMap<string, readonly RenewalListItem[]>,
  effects: Awaited<ReturnType<typeof serviceEffects>>,
  passedThroughOutcomeUnknown: (id: string) => Promise<boolean>,
): Promise<ServiceFigures> {
  const figures: ServiceFigures = {
    intents: intents.length,
    byVariant: countBy(intents, (t) => t.service!.variant),
    byDoor: countBy(intents, (t) => t.door as 'api' | 'webhook', { api: 0, webhook: 0 }),
    byShape: countBy(intents, (t) => t.shape),
    finalStates: {},
    finalByVariant: {},
    upstreamRenewals: 0,
    passedOutcomeUnknown: 0,
    outcomeUnknownUnreconciled: 0,
    doubleRenewals: [],
    lostIntents: [],
    orphanRows: [],
    mismatches: [],
    failed: [],
    needsAttention: [],
  };
  for (const t of intents) {
    const service = t.service!;
    const item = `${service.account}/${t.domain}`;
    const done = effects.renewals.get(item)?.length ?? 0;
    figures.upstreamRenewals += done;
    if (done > 1) figures.doubleRenewals.push({ item, count: done });
    const mine = (rowsByItem.get(t.domain) ?? []).filter((r) => r.account === service.account);
    for (const r of mine)
      if (!t.answeredIds.has(r.id)) figures.orphanRows.push({ item, id: r.id, state: r.state });
    if (mine.length !== 1) {
      figures.lostIntents.push({
        item,
        door: t.door,
        state: mine.length === 0 ? 'no renewal recorded' : `${mine.length} renewals for one intent`,
        reason: t.refusedReason,
      });
      continue;
    }
    const r = mine[0]!;
    figures.finalStates[r.state] = (figures.finalStates[r.state] ?? 0) + 1;
    const byVariant = figures.finalByVariant[service.variant] ?? {};
    byVariant[r.state] = (byVariant[r.state] ?? 0) + 1;
    figures.finalByVariant[service.variant] = byVariant;
    if (!FINAL.has(r.state) || (r.state === 'needs_attention' && !r.reason))
      figures.lostIntents.push({ item, door: t.door, state: r.state, reason: r.reason });
    if (r.state === 'failed') figures.failed.push({ item, reason: r.reason });
    if (r.state === 'needs_attention')
      figures.needsAttention.push({ item, reason: r.reason, renewedUpstream: done });
    const why = serviceMismatch(service, r, t.expectedExpiry, effects);
    if (why) figures.mismatches.push({ item, state: r.state, why });
    if (await passedThroughOutcomeUnknown(r.id)) {
      figures.passedOutcomeUnknown++;
      if (!FINAL.has(r.state)) figures.outcomeUnknownUnreconciled++;
    }
  }
  return figures;
}

/** What the campaign reads of a renewal in `GET /v1/renewals`. */
interface RenewalListItem {
  id: string;
  /** The item's key: the domain name, or `<kind>:<id>`. */
  domain: string;
  account: string;
  years: number;
  state: string;
  reason?: string;
}

async function allRenewals(url: string, headers: Record<string, string>): Promise<RenewalListItem[]> {
  const out: RenewalListItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const res = await fetchRetrying(
      `${url}/v1/renewals?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      {
        headers,
      },
    );
    if (res.status !== 200) throw new Error(`GET /v1/renewals: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { items: RenewalListItem[]; nextCursor?: string };
    out.push(...body.items);
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return out;
}

/** The campaign's own reads must survive a worker that is busy or restarting. */
async function fetchRetrying(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 1_000 * (attempt + 1)));
    }
  }
}
