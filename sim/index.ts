/**
 * Every registrar simulator, one line each. `startStack` (sim/stack.ts) starts them all for
 * `npm start` and for the worker tests.
 */
import { startAlibabaSimulator } from './alibaba';
import { startLogicboxesSim } from './logicboxes';
import type { SimulatorFactory } from './types';

export const SIMULATORS: Record<string, SimulatorFactory> = {
  logicboxes: startLogicboxesSim,
  alibaba: startAlibabaSimulator,
};
