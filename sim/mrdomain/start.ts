/**
 * MrDomain / DonDominio simulator: the Simple-POST API over HTTP (the real one is HTTPS on
 * `simple-api.dondominio.net`, User Manual §2.1). Logic in logic.ts, wire format in wire.ts.
 */
import { startHttpSimulator } from '../shared/http-sim';
import type { SimulatorFactory } from '../types';
import { createMrdomainLogic } from './logic';

export const startMrdomainSimulator: SimulatorFactory = async (opts) => {
  const logic = createMrdomainLogic({ account: opts.account });
  const server = await startHttpSimulator(logic, opts);
  return {
    key: 'mrdomain',
    controlUrl: server.url,
    env: {
      MRDOMAIN_API_USER: logic.credentials.user,
      MRDOMAIN_API_PASSWORD: logic.credentials.password,
      MRDOMAIN_BASE_URL: server.url,
    },
    close: () => server.close(),
  };
};
