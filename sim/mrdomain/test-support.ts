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

/** The CSR of the User Manual's own example (§8.1 CSR Decode), common name `example.domain.com`. */
export const DOCUMENT_CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIIC7zCCAdcCAQAwgakxGzAZBgNVBAMMEmV4YW1wbGUuZG9tYWluLmNvbTEbMBkG',
  'A1UECgwSVGVjaCBTb2x1dGlvbnMgSW5jMRowGAYDVQQLDBFHb3RoYW0gRGVwYXJ0',
  'bWVudDELMAkGA1UEBhMCVVMxEDAOBgNVBAgMB0FyaXpvbmExETAPBgNVBAcMCEJh',
  'cGNodWxlMR8wHQYJKoZIhvcNAQkBFhBpbmZvQGV4YW1wbGUuY29tMIIBIjANBgkq',
  'hkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6HWtKvCB/v/bE5mD9ZpQuuI1Hbx9FsvJ',
  'O4mFUj+1kzH4bJTIWEKt3qiwpy+HirqonHvgriXyZyq52uhJANrXh13c2qJrd5zQ',
  'dL2Cvi301+C7QH5grA2RfMxNAfLRDEOYI+uw5xxMM8YNZexJeQlAmq6bFPZUUqEO',
  'w4JzT4kw1HK6umxV8ycOyOh50gYckzdzlrOHDrdCJ3+H31CFCRjEe3KVTcvpG6Nf',
  'I5czXLIUYWmHw7i9e0uQIbBMiDkMRVQ9RvS5rjPK+kHPLHblapAJPs2xm5Ow+FSg',
  '805uDqmjZ1sz7u1aw9cPkNGDmHXTyStJu440byRnZtto7dIFF8pKcQIDAQABoAAw',
  'DQYJKoZIhvcNAQEFBQADggEBAHVPoIXS0vtwt8QoQ7iAoa9T+Ypn7hEErbw1amLT',
  'rYy5GtzIN6fesTZcCv/1OuOXTQFXQYGMtVVjUCsF50qLdaHRV8jTl7f0b9raP+Fv',
  'b7d0VLtQx3o3LeSR4IS/C7VpxXqm6lSOSs2R6W5eZ0ot+4K+8wxJZmaY4trCe2dY',
  'OVrEcQbLIWc1lTl71wrbIIzyfiGz9xAK+/Sqf8uv8wtylcTvL1pgBUVJ7XcFzSsl',
  'BBGXsjseGF9+/uIZH0mEgO8GN0UC+deNc71KZTwhpuFwo/hXF7sJtGVt5szX8HBD',
  'J724/s79fnNYwqowoKBXm1bIMZS2D0IEX/M7nX2/u1EQE0k=',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');

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
