/**
 * The fault campaign's relay faults (issue 21): with every HTTP account routed through the bridge's
 * relay (`LOCAL_ALLOWLIST`), the bridge is restarted while a relayed renew is provably in flight,
 * and the bridge's own count of relayed calls is kept across its restarts.
 */

/** `bridge_relay_calls_total`, by origin and outcome, summed over the bridge's lives. */
export class RelayTally {
  readonly byOrigin: Record<string, Record<string, number>> = {};

  /** Adds one life's counters (a restarted bridge starts again from zero). */
  async add(bridgeUrl: string): Promise<void> {
    const page = await (await fetch(`${bridgeUrl}/metrics`)).text();
    for (const [, origin, outcome, n] of page.matchAll(
      /^bridge_relay_calls_total\{origin="([^"]*)",outcome="([^"]*)"\} (\d+)$/gm,
    )) {
      const counts = this.byOrigin[origin!] ?? {};
      counts[outcome!] = (counts[outcome!] ?? 0) + Number(n);
      this.byOrigin[origin!] = counts;
    }
  }

  /** Every origin's calls, by outcome. */
  byOutcome(): Record<string, number> {
    const total: Record<string, number> = {};
    for (const counts of Object.values(this.byOrigin))
      for (const [outcome, n] of Object.entries(counts)) total[outcome] = (total[outcome] ?? 0) + n;
    return total;
  }
}

async function simulatorControl(controlUrl: string, name: string, method = 'POST'): Promise<unknown> {
  const res = await fetch(`${controlUrl}/__sim/${name}`, { method });
  if (!res.ok) throw new Error(`sim ${controlUrl} ${name}: ${res.status} ${await res.text()}`);
  return res.json();
}

export interface CutMidRelay {
  /** The simulator whose next renew is parked, and its name for the renew call. */
  controlUrl: string;
  renewOperation: string;
  /** Restarts the bridge (counting its relayed calls first). */
  restart(): Promise<void>;
  /** How long to wait for a renew to reach the simulator before restarting anyway. */
  waitMs: number;
}

/**
 * A `hold` rule parks the simulator's next renew before it acts, so the relay has connected and
 * sent it and waits for the reply; the bridge is restarted under it (its connections cut, as a
 * crash or a deploy would), and only then is the renew let go: the registrar acts on a request
 * whose reply is lost, which the worker must settle as `outcome_unknown`, then reconcile. Returns
 * whether a renew was held at the restart. A rule no renew met in time is cleared with the
 * simulator's other pending rules, so no renew is parked after the campaign stopped watching.
 */
export async function restartBridgeMidRelay(cut: CutMidRelay): Promise<boolean> {
  await fetch(`${cut.controlUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault: { kind: 'hold' }, match: cut.renewOperation, times: 1 }),
  });
  const deadline = Date.now() + cut.waitMs;
  let held = false;
  while (!held && Date.now() < deadline) {
    held = ((await simulatorControl(cut.controlUrl, 'held', 'GET')) as { held: number }).held > 0;
    if (!held) await new Promise((r) => setTimeout(r, 50));
  }
  try {
    await cut.restart();
  } finally {
    if (!held) await simulatorControl(cut.controlUrl, 'faults', 'DELETE');
    await simulatorControl(cut.controlUrl, 'release');
  }
  return held;
}
