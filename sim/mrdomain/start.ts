/**
 * MrDomain / DonDominio simulator: the Simple-POST API over HTTP (the real one is HTTPS on
 * `simple-api.dondominio.net`, User Manual §2.1). Logic in logic.ts, wire format in wire.ts.
 */
import { startHttpSimulator } from '../shared/http-sim';
import type { SimulatorFactory } from '../types';
import { createMrdomainLogic, SIM_MRDOMAIN_PASSWORD, SIM_MRDOMAIN_USER } from './logic';

export const startMrdomainSimulator: SimulatorFactory = async (opts) => {
  const logic = createMrdomainLogic();
  const server = await startHttpSimulator(logic, opts);
  return {
    key: 'mrdomain',
    controlUrl: server.url,
    env: {
      MRDOMAIN_API_USER: SIM_MRDOMAIN_USER,
      MRDOMAIN_API_PASSWORD: SIM_MRDOMAIN_PASSWORD,
      MRDOMAIN_BASE_URL: server.url,
    },
    close: () => server.close(),
  };
};
