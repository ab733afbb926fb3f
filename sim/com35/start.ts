/**
 * The 35.com simulator: a TCP server behaving as the 35.com API user manual says the real one does (logic.ts,
 * server.ts) plus the shared `/__sim/*` HTTP control API. Its `env` is the bridge's, not the
 * worker's: the bridge owns 35.com credentials (sim/stack.ts wires the bridge in between).
 *
 * Extra control calls (POST /__sim/<name>):
 *   domains    {name, exDate?, crDate?, owner?, dns?, locked?, autoRenew?} or a list: seed domains
 *   balance    {amount: "12.34"}: set the test account's balance (CNY)
 *   services   {category: vhost|mail, name, flag: "1001"|"1002", typeID?, expiredate?, startdate?,
 *              running?, packageChild?, pricePerYear?, addPriceFen?, dbPriceFen?, pointsPerYear?}
 *              or a list: seed hosts and mail domains (dates YYYY-MM-DD; services.ts)
 *   points     {points: 1234}: set the test account's exclusive-sale points
 *   taken      {name}: a name registered elsewhere (CheckDomain → avail 0)
 *   transfers  {domain, kind: reg|cust, status, otherId?}: seed a transfer-in record
 *   config     {commandLimit?, loginTimeoutMs?, idleTimeoutMs?}
 *   advance    {ms}: move the simulator's clock forward (the 5-minute renewal rule)
 *   disconnect {}: drop every open TCP connection
 *   allowlist  {addresses:[...]}: the account's IP allow-list (shared control API); a Login from
 *              another address gets 2500 and the connection closes
 */
import { startHttpSimulator } from '../shared/http-sim';
import type { RunningSimulator, SimulatorFactory, SimulatorOptions } from '../types';
import {
  Com35Registrar,
  type SeedDomainInput,
  SIM_ACCOUNT,
  type SimConfig,
  type SimTransfer,
  seededServiceList,
} from './logic';
import { startTcpServer } from './server';
import type { SeedServiceInput } from './services';

export interface RunningCom35Simulator extends RunningSimulator {
  registrar: Com35Registrar;
  tcpPort: number;
}

export async function startCom35Simulator(opts: SimulatorOptions = {}): Promise<RunningCom35Simulator> {
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const registrar = new Com35Registrar(now);
  let dropAll = () => {};

  const control = await startHttpSimulator(
    {
      name: 'com35',
      operationOf: () => 'control',
      handle: () => ({ status: 404, body: 'the 35.com simulator speaks TCP; this port is /__sim/* only' }),
      state: () => registrar.state(),
      reset: () => {
        clockOffset = 0;
        registrar.reset();
      },
      control: (name, body) => {
        const b = (body ?? {}) as Record<string, unknown>;
        switch (name) {
          case 'domains': {
            const list = (Array.isArray(body) ? body : [body]) as SeedDomainInput[];
            return { domains: list.map((d) => registrar.addDomain(d)) };
          }
          case 'services': {
            const list = (Array.isArray(body) ? body : [body]) as SeedServiceInput[];
            return { services: list.map((s) => registrar.addService(s)) };
          }
          case 'points': {
            const points = Number(b.points);
            if (!Number.isSafeInteger(points) || points < 0) throw new Error('points is a whole number ≥ 0');
            registrar.services.points.set(SIM_ACCOUNT.clid, points);
            return { points };
          }
          case 'balance': {
            const amount = String(b.amount ?? '');
            if (!/^\d+(\.\d{1,2})?$/.test(amount)) throw new Error('amount is a decimal string like "12.34"');
            const [int, frac = ''] = amount.split('.');
            registrar.accounts.get(SIM_ACCOUNT.clid)!.balanceFen =
              Number(int) * 100 + Number(frac.padEnd(2, '0'));
            return { balance: registrar.balanceText(SIM_ACCOUNT.clid) };
          }
          case 'taken':
            registrar.taken.add(String(b.name).toLowerCase());
            return { ok: true };
          case 'transfers': {
            const t = b as unknown as Partial<SimTransfer>;
            registrar.transfers.push({
              domain: String(t.domain),
              kind: t.kind === 'cust' ? 'cust' : 'reg',
              owner: t.owner ?? SIM_ACCOUNT.clid,
              status: String(t.status ?? 'pendingTransfer'),
              reDate: t.reDate ?? new Date(now()).toISOString().slice(0, 10),
              otherId: t.otherId,
            });
            return { ok: true };
          }
          case 'config':
            Object.assign(registrar.config, b as Partial<SimConfig>);
            return { config: registrar.config };
          case 'advance':
            clockOffset += Number(b.ms ?? 0);
            return { now: new Date(now()).toISOString() };
          case 'disconnect':
            dropAll();
            return { ok: true };
          default:
            throw new Error(`unknown control ${name}`);
        }
      },
    },
    { host: opts.host, allowFrom: opts.allowFrom },
  );
  control.faults.latencyMs = opts.latencyMs ?? 0;
  // The allow-list is switched on the control port (`POST /__sim/allowlist`) and enforced at Login.
  registrar.clientAllowed = (address) => control.allowList.allows(address);

  const tcp = await startTcpServer(registrar, control.faults, { host: opts.host, port: opts.port, now });
  dropAll = tcp.dropAll;
  return {
    key: 'com35',
    controlUrl: control.url,
    registrar,
    tcpPort: tcp.port,
    env: {
      COM35_HOST: opts.host ?? '127.0.0.1',
      COM35_PORT: String(tcp.port),
      COM35_CLID: SIM_ACCOUNT.clid,
      COM35_PASSWORD: SIM_ACCOUNT.password,
      // Not the bridge's: what the worker's account lists as its services (sim/stack.ts passes it on).
      COM35_SERVICES: seededServiceList(),
    },
    close: async () => {
      await tcp.close();
      await control.close();
    },
  };
}

export const com35Simulator: SimulatorFactory = startCom35Simulator;
