/**
 * The fault campaign's service renewals (issue 23): 35.com hosting, normal and exclusive-sale mail
 * (through the bridge), MrDomain hosting and certificates. Each intent renews a service seeded for
 * it alone, so what the simulators record (`serviceRenewals`) can be laid against that one intent.
 *
 * The campaign sends them through its own doors (API with repeats and attacks, the standard billing
 * webhook with redeliveries); this module knows what is particular to services: their ids, how each
 * simulator seeds them, the request each door sends, and how to judge the outcome against what the
 * registrar did. Services have no expiry guard at the registrar, so a lost reply that leaves the
 * expiry unchanged must end with a person (`needs_attention`), never in a second renew.
 */
import { DOCUMENT_CSR } from '../../sim/mrdomain/document-csr';
import type { ServiceKind } from '../../src/core/model';

export type ServiceVariantName =
  | 'com35 hosting'
  | 'com35 mail'
  | 'com35 exclusive mail'
  | 'mrdomain hosting'
  | 'mrdomain certificate';

interface ServiceVariant {
  name: ServiceVariantName;
  /** The campaign account (its simulator has the same name in the local stack). */
  account: 'com35' | 'mrdomain';
  kind: ServiceKind;
  /** The simulator's name for the renew request: where half of the faults aim. */
  renewOperation: string;
}

export const SERVICE_VARIANTS: readonly ServiceVariant[] = [
  { name: 'com35 hosting', account: 'com35', kind: 'hosting', renewOperation: 'RenewVhost' },
  { name: 'com35 mail', account: 'com35', kind: 'mail', renewOperation: 'RenewMail' },
  { name: 'com35 exclusive mail', account: 'com35', kind: 'mail', renewOperation: 'RenewMail' },
  { name: 'mrdomain hosting', account: 'mrdomain', kind: 'hosting', renewOperation: 'service/renew' },
  { name: 'mrdomain certificate', account: 'mrdomain', kind: 'certificate', renewOperation: 'ssl/renew' },
];

/** One service, seeded at its simulator for one intent. */
export interface ServiceTarget {
  variant: ServiceVariantName;
  account: string;
  kind: ServiceKind;
  /** The registrar's id: a host name, a mail domain, a service name, a certificate id. */
  id: string;
  renewOperation: string;
}

/** The contact the MrDomain simulator seeds for every account. */
const ADMIN_CONTACT = 'SIM-12312';

/** The renewals table's key of a service (`<kind>:<id>`, src/core/items.ts). */
export const itemKeyOf = (t: Pick<ServiceTarget, 'kind' | 'id'>) => `${t.kind}:${t.id}`;

export function serviceTarget(variant: ServiceVariant, seed: number, index: number): ServiceTarget {
  // A 35.com `vhostname` is 3-10 characters; every other id is a name of the campaign's own.
  const id =
    variant.name === 'com35 hosting'
      ? `h${seed % 100}n${index}`
      : variant.kind === 'certificate'
        ? String(500_000 + index)
        : `fc${seed}${variant.name === 'com35 exclusive mail' ? 'x' : 's'}${index}.com`;
  return {
    variant: variant.name,
    account: variant.account,
    kind: variant.kind,
    id,
    renewOperation: variant.renewOperation,
  };
}

/** What a renewal request of this service carries besides `years` and the expected expiry. */
export function serviceExtras(t: ServiceTarget): { certificate?: { csr: string; adminContactId: string } } {
  return t.kind === 'certificate'
    ? { certificate: { csr: DOCUMENT_CSR, adminContactId: ADMIN_CONTACT } }
    : {};
}

export const serviceRenewPath = (t: ServiceTarget) =>
  `/v1/services/${t.account}/${t.kind}/${encodeURIComponent(t.id)}/renew`;

/** A `service.renew` event's data (docs/webhooks.md). */
export function serviceWebhookData(t: ServiceTarget, expectedExpiry: string, reference: string) {
  return {
    kind: t.kind,
    id: t.id,
    account: t.account,
    years: 1,
    expectedExpiry,
    reference,
    ...serviceExtras(t),
  };
}

type Control = (base: string, name: string, body?: unknown, method?: string) => Promise<unknown>;

/**
 * Seeds every target at its simulator, expiring on `expiry` (`YYYY-MM-DD`), with points enough for
 * the exclusive-sale mail (the money balance is the domains' seeding).
 */
export async function seedServices(
  control: Control,
  controlUrl: (account: string) => string,
  targets: readonly ServiceTarget[],
  expiry: string,
): Promise<void> {
  const of = (variant: ServiceVariantName) => targets.filter((t) => t.variant === variant);
  const com35 = [
    ...of('com35 hosting').map((t) => ({ category: 'vhost', name: t.id, flag: '1002', typeID: '1011' })),
    ...of('com35 mail').map((t) => ({ category: 'mail', name: t.id, flag: '1001', typeID: '10001' })),
    ...of('com35 exclusive mail').map((t) => ({
      category: 'mail',
      name: t.id,
      flag: '1002',
      typeID: '10003',
    })),
  ].map((s) => ({ ...s, expiredate: expiry }));
  if (com35.length > 0) {
    await control(controlUrl('com35'), 'services', com35);
    await control(controlUrl('com35'), 'points', { points: 100_000_000 });
  }
  const hosting = of('mrdomain hosting').map((t) => ({ name: t.id, productkey: 'basic', tsExpir: expiry }));
  if (hosting.length > 0) await control(controlUrl('mrdomain'), 'services', hosting);
  const certificates = of('mrdomain certificate').map((t) => ({
    certificateID: Number(t.id),
    commonName: `www.fc${t.id}.com`,
    productID: 55,
    tsExpir: expiry,
  }));
  if (certificates.length > 0) await control(controlUrl('mrdomain'), 'certificates', certificates);
}

/** A renewal done at a simulator, and the service as the simulator holds it afterwards. */
export interface ServiceEffects {
  /** Renewals done, by `<account>/<kind>:<id>`: the years of each. */
  renewals: Map<string, number[]>;
  /** The service's expiry now (`YYYY-MM-DD`), and a certificate's status word. */
  now: Map<string, { expiry?: string; status?: string }>;
}

interface Com35State {
  serviceRenewals: Array<{ category: 'vhost' | 'mail'; name: string; years: number }>;
  services: Array<{ category: 'vhost' | 'mail'; name: string; expiredate: string }>;
}
interface MrdomainState {
  serviceRenewals: Array<{ kind: 'hosting' | 'certificate'; id: string; years: number }>;
  services: Array<{ name: string; tsExpir: string }>;
  certificates: Array<{ certificateID: number; status: string; tsExpir: string }>;
}

const com35Kind = (category: 'vhost' | 'mail'): ServiceKind => (category === 'vhost' ? 'hosting' : 'mail');

/** Reads each simulator's own record of service renewals and services. */
export async function serviceEffects(
  control: Control,
  controlUrl: (account: string) => string,
  accounts: readonly string[],
): Promise<ServiceEffects> {
  const renewals = new Map<string, number[]>();
  const now = new Map<string, { expiry?: string; status?: string }>();
  const done = (key: string, years: number) => renewals.set(key, [...(renewals.get(key) ?? []), years]);
  if (accounts.includes('com35')) {
    const state = (await control(controlUrl('com35'), 'state', undefined, 'GET')) as Com35State;
    for (const r of state.serviceRenewals) done(`com35/${com35Kind(r.category)}:${r.name}`, r.years);
    for (const s of state.services)
      now.set(`com35/${com35Kind(s.category)}:${s.name}`, { expiry: s.expiredate });
  }
  if (accounts.includes('mrdomain')) {
    const state = (await control(controlUrl('mrdomain'), 'state', undefined, 'GET')) as MrdomainState;
    for (const r of state.serviceRenewals) done(`mrdomain/${r.kind}:${r.id}`, r.years);
    for (const s of state.services) now.set(`mrdomain/hosting:${s.name}`, { expiry: s.tsExpir });
    for (const c of state.certificates)
      now.set(`mrdomain/certificate:${c.certificateID}`, { expiry: c.tsExpir, status: c.status });
  }
  return { renewals, now };
}

const DAY_MS = 86_400_000;

/** `day` + `years`, give or take the day registrars disagree on around 29 February. */
function movedBy(from: string, to: string | undefined, years: number): boolean {
  if (!to) return false;
  const target = new Date(`${from}T00:00:00Z`);
  target.setUTCFullYear(target.getUTCFullYear() + years);
  return Math.abs(Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - target.getTime()) <= DAY_MS;
}

/**
 * Why a renewal's final state does not match what the registrar did, or undefined when it does:
 * confirmed is exactly one renewal of the row's years, which moved a hosting or mail expiry by
 * those years and left a certificate being reissued (`renew`) or issued later; failed spent nothing;
 * needs_attention may have either, never two.
 */
export function serviceMismatch(
  t: ServiceTarget,
  row: { state: string; years: number },
  seededExpiry: string,
  effects: ServiceEffects,
): string | undefined {
  const key = `${t.account}/${itemKeyOf(t)}`;
  const done = effects.renewals.get(key) ?? [];
  const now = effects.now.get(key);
  if (row.state === 'failed') return done.length === 0 ? undefined : `failed, but renewed ${done.length}×`;
  if (row.state === 'needs_attention') return done.length <= 1 ? undefined : `renewed ${done.length}×`;
  if (row.state !== 'confirmed') return undefined;
  if (done.length !== 1) return `confirmed, but renewed ${done.length}×`;
  if (done[0] !== row.years) return `confirmed ${row.years} year(s), the registrar renewed ${done[0]}`;
  if (t.kind === 'certificate') {
    const reissued =
      now?.status === 'renew' || (now?.status === 'valid' && movedBy(seededExpiry, now.expiry, row.years));
    return reissued ? undefined : `confirmed, but the certificate reads ${now?.status ?? 'nothing'}`;
  }
  return movedBy(seededExpiry, now?.expiry, row.years)
    ? undefined
    : `confirmed, but the expiry moved from ${seededExpiry} to ${now?.expiry ?? 'nothing'}`;
}
