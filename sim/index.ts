/**
 * Every registrar simulator, one line each. `startStack` (sim/stack.ts) starts them all for
 * `npm start` and for the worker tests.
 */
import { startAlibabaSimulator } from './alibaba';
import { com35Simulator } from './com35';
import { startDynadotSimulator } from './dynadot';
import { startLogicboxesSim } from './logicboxes';
import { startMrdomainSimulator } from './mrdomain';
import type { SimulatorFactory } from './types';

export const SIMULATORS: Record<string, SimulatorFactory> = {
  com35: com35Simulator,
  dynadot: startDynadotSimulator,
  logicboxes: startLogicboxesSim,
  alibaba: startAlibabaSimulator,
  mrdomain: startMrdomainSimulator,
};
