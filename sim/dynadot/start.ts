/** The Dynadot API3 simulator on `/api3.xml` and `/api3.json` (logic in logic.ts). */
import { startHttpSimulator } from '../shared/http-sim';
import type { SimulatorFactory } from '../types';
import { createDynadotLogic } from './logic';

export const startDynadotSimulator: SimulatorFactory = async (opts) => {
  const logic = createDynadotLogic({ account: opts.account });
  const running = await startHttpSimulator(logic, opts);
  return {
    key: 'dynadot',
    controlUrl: running.url,
    env: { DYNADOT_BASE_URL: running.url, DYNADOT_API_KEY: logic.key },
    close: () => running.close(),
  };
};
