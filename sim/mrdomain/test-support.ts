/**
 * The MrDomain simulator as its own tests drive it: one instance for the file, reset before each
 * test, plain HTTP calls to its actions and its `/__sim/` controls.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RunningSimulator } from '../types';
import { startMrdomainSimulator } from './start';

export interface Reply {
  success: boolean;
  errorCode: number;
  errorCodeMsg: string;
  action: string;
  version: string;
  messages?: string[];
  // biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary payloads
  responseData: any;
}

export { DOCUMENT_CSR } from './document-csr';

export function useMrdomainSimulator() {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startMrdomainSimulator({});
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control('reset');
  });

  const creds = () => ({
    apiuser: sim.env.MRDOMAIN_API_USER as string,
    apipasswd: sim.env.MRDOMAIN_API_PASSWORD as string,
  });

  async function post(
    action: string,
    params: Record<string, string>,
    how: 'urlencoded' | 'multipart' = 'urlencoded',
  ) {
    const url = `${sim.env.MRDOMAIN_BASE_URL}/${action}/`;
    let body: BodyInit;
    if (how === 'multipart') {
      const form = new FormData();
      for (const [k, v] of Object.entries(params)) form.append(k, v);
      body = form;
    } else {
      body = new URLSearchParams(params);
    }
    const res = await fetch(url, { method: 'POST', body });
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) as Reply };
  }

  async function control(name: string, body: unknown = {}) {
    const res = await fetch(`${sim.controlUrl}/__sim/${name}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(await res.text());
    return res.json();
  }

  // biome-ignore lint/suspicious/noExplicitAny: state is JSON
  async function state(): Promise<any> {
    return (await fetch(`${sim.controlUrl}/__sim/state`)).json();
  }

  return { sim: () => sim, creds, post, control, state };
}
