/**
 * Every registrar simulator, one line each. `startStack` (sim/stack.ts) starts them all for
 * `npm start` and for the worker tests.
 */
import { startAlibabaSimulator } from './alibaba/start';
import { com35Simulator } from './com35/start';
import { startDynadotSimulator } from './dynadot/start';
import { startLogicboxesSim } from './logicboxes/start';
import { startMrdomainSimulator } from './mrdomain/start';
import type { SimulatorFactory } from './types';

export const SIMULATORS: Record<string, SimulatorFactory> = {
  com35: com35Simulator,
  dynadot: startDynadotSimulator,
  logicboxes: startLogicboxesSim,
  alibaba: startAlibabaSimulator,
  mrdomain: startMrdomainSimulator,
};
