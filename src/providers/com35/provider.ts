/**
 * 35.com (China Channel) from the worker's side: the worker never opens the TCP socket; it sends
 * `{category, action, params}` to the Node bridge (`src/tcp-bridge/`) over HTTP signed with
 * BRIDGE_SECRET, and the bridge owns the 35.com credentials and session pool.
 *
 * Notes about this registrar's API (the 35.com API user manual, "API 用户使用手册" 2.7.4; § = its sections):
 * - No domain list and no domain price command exist (§7.2 lists 22 domain actions, none of them a
 *   list; the price queries of §7.7 cover hosting and mail only): `listDomains` and `getPrices`
 *   are unsupported.
 * - RenewDomain has no current-expiry guard (§7.2.2.5) and no repeat within 5 minutes
 *   (§7.2.2.5.4 限制或者约束条件): we read the expiry first, refuse on a mismatch, and after a lost
 *   reply read it again to decide.
 * - Dates are `yyyy-mm-dd` with no time zone (InfoDomain, §7.2.2.3.1): read as UTC calendar days
 *   (decision).
 * - Lock = status `clientTransferProhibited` (UpdateDomainStatus, §7.2.2.7); auto-renew = extra
 *   `clientAutoRenew` (UpdateDomainExtra, §7.2.2.8); both read back with InfoDomainExtra (§7.2.2.11).
 * - Hosting and mail (§7.3, §7.4) are services: services.ts.
 * - Transfer-in state: QueryRegTransfer (from another registrar, §8.3 statuses) and
 *   QueryCustTransfer op=In (between 35.com members); 1300 "no messages" = no record.
 */
import { unknownAvailability, unknownFromError } from '../../core/availability-unknown';
import { addYears, fromLocalDateTime, sameDay } from '../../core/dates';
import { requireDomainName } from '../../core/domain-name';
import { GatewayError, invalidRequest, isGatewayError } from '../../core/errors';
import type { Availability, DomainInfo, DomainStatus, TransferState, TransferStatus } from '../../core/model';
import { money } from '../../core/money';
import { defineProvider, defineProviderDefinition } from '../define';
import type { CallOptions } from '../types';
import { COM35_SESSIONS_PER_ACCOUNT } from './bridge-protocol';
import { type Com35Reply, createCom35Client } from './client';
import { fromWireDomain, toWireDomain } from './codec';
import { type Com35Config, com35Config } from './config';
import { mayHaveActed, settleLostRenewal } from './lost-reply';
import { COM35_SERVICE_KINDS } from './service-codec';
import { com35ServiceOperations } from './services';

const LOCK = 'clientTransferProhibited';
const AUTO_RENEW = 'clientAutoRenew';

/** `yyyy-mm-dd` → ISO, read as a UTC calendar day. */
function wireDate(value: string | undefined, what: string): string {
  if (!value) throw new GatewayError('protocol', { message: `35.com sent no ${what}`, provider: 'com35' });
  return fromLocalDateTime(value, 0);
}

/** Registrar transfer-in statuses (§8.3 域名转入注册商状态) and member-transfer statuses (QueryCustTransfer, §7.2.5.2.1). */
export function transferStateOf(raw: string): TransferState {
  const s = raw.trim().toLowerCase();
  if (s === 'transfersuccessfully' || s === 'clientapproved') return 'completed';
  if (s.startsWith('pendingtransfer') || s === 'pending') return 'pending';
  if (s.startsWith('clientrejected')) return 'rejected';
  if (s.startsWith('clientcanceled') || s.startsWith('transfer failed') || s === 'expired')
    return 'cancelled';
  return 'unknown';
}

function statusOf(expiresAt: string, locked: boolean, now: number): DomainStatus[] {
  const status: DomainStatus[] = [Date.parse(expiresAt) < now ? 'expired' : 'active'];
  if (locked) status.push('locked');
  return status;
}

export const com35 = defineProviderDefinition<Com35Config>({
  key: 'com35',
  displayName: '35.com',
  config: com35Config,
  // As many calls as the bridge has sessions (one command each, §6.5 item 3): more would wait in
  // the bridge's FIFO queue, where a spend cannot pass a query; fewer would leave a session idle.
  gate: () => ({ concurrency: COM35_SESSIONS_PER_ACCOUNT }),
  create: (account, config, deps) => {
    const client = createCom35Client(
      {
        account,
        bridgeUrl: config.BRIDGE_URL,
        bridgeSecret: config.BRIDGE_SECRET[0]!,
        timeoutMs: config.BRIDGE_TIMEOUT_MS,
      },
      deps,
    );
    const now = deps.now ?? Date.now;

    const wire = (domain: string) => toWireDomain(requireDomainName(domain));

    async function readExpiry(
      w: ReturnType<typeof wire>,
      operation: string,
      opts: CallOptions,
    ): Promise<string> {
      const info = await client.infoDomain(w, operation, opts);
      return wireDate(info.dataMap.exDate?.[0], 'expiry date');
    }

    return defineProvider(
      {
        key: 'com35',
        account,
        limits: { availabilityBatch: 1, concurrency: COM35_SESSIONS_PER_ACCOUNT },
        serviceKinds: [...COM35_SERVICE_KINDS],
        ping: async (opts) => {
          await client.getAccountBalance('getBalance', opts);
        },
      },
      {
        ...com35ServiceOperations(client, config, now),

        async checkAvailability(domains, opts): Promise<Availability[]> {
          const out: Availability[] = [];
          for (const input of domains) {
            const name = requireDomainName(input);
            let w: ReturnType<typeof toWireDomain>;
            try {
              w = toWireDomain(name);
            } catch (error) {
              if (isGatewayError(error) && error.kind === 'unsupported') {
                out.push(unknownFromError(name, error));
                continue;
              }
              throw error;
            }
            const r: Com35Reply = await client.checkDomain(w, opts);
            if (r.code >= 2000) {
              // A refusal is not an answer: the name was not checked.
              out.push(
                unknownAvailability(name, 'check_failed', `35.com refused the name: ${r.value.trim()}`),
              );
              continue;
            }
            const avail = r.dataMap.avail?.[0]?.trim();
            if (avail !== '0' && avail !== '1') {
              throw new GatewayError('protocol', {
                message: '35.com CheckDomain sent no avail flag',
                provider: 'com35',
              });
            }
            out.push({ domain: name, available: avail === '1', premium: false });
          }
          return out;
        },

        async getDomain(domain, opts): Promise<DomainInfo> {
          const w = wire(domain);
          const info = await client.infoDomain(w, 'getDomain', opts);
          const extra = await client.infoDomainExtra(w, opts);
          const rawStatus = extra.dataMap.status ?? [];
          const extras = extra.dataMap.extra ?? [];
          const locked = rawStatus.includes(LOCK);
          const expiresAt = wireDate(info.dataMap.exDate?.[0], 'expiry date');
          const crDate = info.dataMap.crDate?.[0];
          return {
            domain: fromWireDomain(info.dataMap.domain?.[0] ?? w.domain),
            expiresAt,
            createdAt: crDate ? wireDate(crDate, 'creation date') : undefined,
            status: statusOf(expiresAt, locked, now()),
            rawStatus: [...rawStatus, ...extras.filter((e) => e !== 'ok')],
            autoRenew: extras.includes(AUTO_RENEW),
            locked,
            nameservers: (info.dataMap.dns ?? []).map((ns) => ns.trim().toLowerCase()),
            ref: { domaintype: w.domaintype },
          };
        },

        async renew(domain, req, opts) {
          if (!Number.isInteger(req.years) || req.years < 1 || req.years > 10) {
            throw invalidRequest('years: 35.com renews 1 to 10 years', [
              { field: 'years', reason: 'must be 1-10' },
            ]);
          }
          const w = wire(domain);
          const name = fromWireDomain(w.domain);
          // No registrar guard exists: read the expiry first, refuse if it is not what the caller saw.
          const current = await readExpiry(w, 'getDomain', opts);
          if (!sameDay(current, req.expectedExpiry)) {
            throw new GatewayError('conflict', {
              message: `35.com ${name} expires ${current.slice(0, 10)}, not ${req.expectedExpiry.slice(0, 10)}: not renewed`,
              provider: 'com35',
              operation: 'renew',
            });
          }
          const target = addYears(current, req.years);
          try {
            const r = await client.renewDomain(w, req.years, opts);
            const ex = r.dataMap.exDate?.[0];
            return {
              domain: name,
              outcome: 'confirmed',
              newExpiry: ex ? wireDate(ex, 'new expiry date') : target,
              ref: { domaintype: w.domaintype, cltrid: r.cltrid },
            };
          } catch (error) {
            if (!mayHaveActed(error)) throw error;
            const after = await settleLostRenewal(error, {
              what: `renew of ${name}`,
              operation: 'renew',
              current,
              target,
              reread: () => readExpiry(w, 'getDomain', { signal: opts.signal }),
            });
            return {
              domain: name,
              outcome: 'confirmed',
              newExpiry: after,
              ref: { domaintype: w.domaintype, reconciled: 'true' },
            };
          }
        },

        async getBalance(opts) {
          const r = await client.getAccountBalance('getBalance', opts);
          const balance = r.dataMap.balance?.[0];
          if (balance === undefined)
            throw new GatewayError('protocol', { message: '35.com sent no balance', provider: 'com35' });
          // GetAccountBalance (§7.6.1.1) names no currency; the funds account is settled in RMB
          // (扣款金额(人民币) in CreateMail §7.4.2.4.1 and RenewMail §7.4.2.5.1).
          return { available: money(balance, 'CNY') };
        },

        async getNameservers(domain, opts) {
          const info = await client.infoDomain(wire(domain), 'getNameservers', opts);
          return (info.dataMap.dns ?? []).map((ns) => ns.trim().toLowerCase());
        },

        async setNameservers(domain, nameservers, opts) {
          const list = nameservers.map((ns, i) => requireDomainName(ns, `nameservers[${i}]`));
          // "至少 2 个" and at most 6 (UpdateDomainDNS, §7.2.2.9.1 and §7.2.2.9.5).
          if (list.length < 2 || list.length > 6) {
            throw invalidRequest('nameservers: 35.com takes 2 to 6 name servers', [
              { field: 'nameservers', reason: 'must have 2-6 entries' },
            ]);
          }
          await client.updateDomainDns(wire(domain), list, opts);
        },

        async setLock(domain, locked, opts) {
          await client.updateDomainStatus(wire(domain), locked, opts);
        },

        async setAutoRenew(domain, enabled, opts) {
          await client.updateDomainExtra(wire(domain), enabled, opts);
        },

        async getTransferStatus(domain, opts): Promise<TransferStatus> {
          const w = wire(domain);
          const name = fromWireDomain(w.domain);
          const reg = await client.queryRegTransfer(w, opts);
          const regStatus = reg.code < 2000 && reg.code !== 1300 ? reg.dataMap.status?.[0] : undefined;
          if (regStatus) return { domain: name, state: transferStateOf(regStatus), rawStatus: regStatus };
          const cust = await client.queryCustTransfer(w, opts);
          const custStatus = cust.code < 2000 && cust.code !== 1300 ? cust.dataMap.status?.[0] : undefined;
          if (custStatus) {
            const reDate = cust.dataMap.reDate?.[0];
            return {
              domain: name,
              state: transferStateOf(custStatus),
              rawStatus: custStatus,
              updatedAt:
                cust.dataMap.acDate?.[0] || reDate
                  ? wireDate(cust.dataMap.acDate?.[0] || reDate, 'date')
                  : undefined,
            };
          }
          return { domain: name, state: 'none' };
        },
      },
    );
  },
});
