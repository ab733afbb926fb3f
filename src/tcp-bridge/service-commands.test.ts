/**
 * The bridge's allow-list for 35.com hosting and mail, over real sockets against the simulator:
 * RenewVhost/RenewMail are spends (their renewal's cltrid, sent at most once), the same commands
 * with GetPrice=1 are queries (no cltrid), and nothing else of `vhost` or `mail` is forwarded.
 */
import { describe, expect, it } from 'vitest';
import { ALREADY_SENT, spendingCltrid } from '../providers/com35/bridge-protocol';
import { call, useBridgeHarness } from './test-harness';

const { bridge, simState } = useBridgeHarness();

async function renewVhost(extra: Record<string, string> = {}) {
  const state = await simState();
  const host = state.services.find((s) => s.name === 'simzq1')!;
  const [y, m, d] = host.expiredate.split('-');
  return {
    category: 'vhost',
    action: 'RenewVhost',
    params: { flag: '1002', vhostname: 'simzq1', year: '1', currentexpiredate: `${m}/${d}/${y}`, ...extra },
  };
}

describe('bridge: hosting and mail commands', () => {
  it('sends a RenewVhost with its renewal’s cltrid once, and refuses the same cltrid again', async () => {
    const b = await bridge();
    const command = { ...(await renewVhost()), cltrid: await spendingCltrid('svc-bridge-1') };
    const first = await call(b, command);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ code: 1000 });
    const second = await call(b, command);
    expect(second.body.error).toMatchObject({ kind: 'conflict', upstreamCode: ALREADY_SENT });
    expect((await simState()).commands.RenewVhost).toBe(1);
  });

  it('wants the cltrid on a renewal, refuses it on a GetPrice=1 query, and refuses any other GetPrice', async () => {
    const b = await bridge();
    const cltrid = await spendingCltrid('svc-bridge-2');
    expect((await call(b, await renewVhost())).status).toBe(400);
    expect((await call(b, { ...(await renewVhost({ GetPrice: '1' })), cltrid })).status).toBe(400);
    const zero = await call(b, { ...(await renewVhost({ GetPrice: '0' })), cltrid });
    expect(zero.status).toBe(400);
    expect(zero.body.error).toMatchObject({ message: expect.stringContaining('GetPrice=1') });
    const quote = await call(b, await renewVhost({ GetPrice: '1' }));
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ code: 1000 });
    const state = await simState();
    expect(state.commands.RenewVhost).toBeUndefined();
    expect(state.commands['RenewVhost:GetPrice']).toBe(1);
  });

  it('forwards GetInfo under vhost and under mail, and no other vhost or mail command', async () => {
    const b = await bridge();
    const info = await call(b, {
      category: 'mail',
      action: 'GetInfo',
      params: { flag: '1001', domain: 'sim-mail.com', op: 'GetMailInfo' },
    });
    expect(info.body).toMatchObject({ code: 1000 });
    for (const [category, action] of [
      ['vhost', 'CheckVhost'],
      ['mail', 'ModMailPwd'],
      ['vhost', 'RenewMail'],
      ['domain', 'GetInfo'],
    ])
      expect((await call(b, { category, action, params: { flag: '1001' } })).status, action).toBe(403);
  });
});
