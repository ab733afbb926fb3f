/**
 * A registrar account's API allow-list of client addresses, as the simulators enforce it. Off (every
 * caller served) when empty. Addresses are compared as the socket reports them, with the IPv4-mapped
 * IPv6 prefix (`::ffff:`) dropped, so `127.0.0.2` matches a dual-stack socket's `::ffff:127.0.0.2`.
 *
 * Switched by `SimulatorOptions.allowFrom` at start and by `POST /__sim/allowlist {addresses}` at run
 * time (sim/shared/http-sim.ts); `POST /__sim/reset` goes back to the start-time list.
 */
export function clientAddress(remoteAddress: string | undefined): string {
  return (remoteAddress ?? '').replace(/^::ffff:/i, '');
}

export class AllowList {
  private list: string[];

  constructor(private readonly initial: readonly string[] = []) {
    this.list = [...initial];
  }

  get addresses(): readonly string[] {
    return this.list;
  }

  /** Empty or absent turns the mode off. */
  set(addresses: readonly string[] | undefined): void {
    this.list = (addresses ?? []).map((a) => clientAddress(String(a).trim())).filter((a) => a !== '');
  }

  reset(): void {
    this.list = [...this.initial];
  }

  allows(remoteAddress: string | undefined): boolean {
    return this.list.length === 0 || this.list.includes(clientAddress(remoteAddress));
  }
}

/** The body of `POST /__sim/allowlist`: `{addresses: [...]}`; empty or absent = off. */
export function parseAllowListBody(body: unknown): string[] {
  const addresses = (body as { addresses?: unknown } | null)?.addresses;
  if (addresses === undefined || addresses === null) return [];
  if (!Array.isArray(addresses) || addresses.some((a) => typeof a !== 'string')) {
    throw new Error('addresses is a list of IP addresses');
  }
  return addresses as string[];
}
