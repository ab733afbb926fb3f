/**
 * Every registrar simulator, one line each. `startStack` (sim/stack.ts) starts them all for
 * `npm start` and for the worker tests.
 */
import { startDynadotSimulator } from './dynadot';
import type { SimulatorFactory } from './types';

export const SIMULATORS: Record<string, SimulatorFactory> = {
  dynadot: startDynadotSimulator,
};
