/**
 * The LogicBoxes (ResellerClub) simulator on HTTP: `startHttpSimulator` around the pure logic in
 * `logic.ts`. Its env points the gateway at it with the simulator's own reseller account.
 */
import { startHttpSimulator } from '../shared/http-sim';
import { simInstance } from '../shared/instance';
import type { SimulatorFactory } from '../types';
import { LogicboxesSim, SIM_API_KEY, SIM_AUTH_USERID } from './logic';

export { LogicboxesSim, SIM_API_KEY, SIM_AUTH_USERID } from './logic';

export const startLogicboxesSim: SimulatorFactory = async (opts) => {
  const sim = new LogicboxesSim(Date.now, simInstance(opts.account));
  const running = await startHttpSimulator(
    {
      name: 'logicboxes',
      operationOf: (req) => sim.operationOf(req),
      handle: (req) => sim.handle(req),
      state: () => sim.state(),
      reset: () => sim.reset(),
      control: (name, body) => sim.control(name, body),
      refuseStranger: (req) => sim.refuseStranger(req),
    },
    opts,
  );
  return {
    key: 'logicboxes',
    controlUrl: running.url,
    env: {
      LOGICBOXES_BASE_URL: running.url,
      LOGICBOXES_AUTH_USERID: sim.instance.numericId(SIM_AUTH_USERID),
      LOGICBOXES_API_KEY: sim.instance.credential(SIM_API_KEY),
    },
    close: running.close,
  };
};
