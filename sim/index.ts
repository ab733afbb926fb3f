/**
 * Every registrar simulator, one line each. `startStack` (sim/stack.ts) starts them all for
 * `npm start` and for the worker tests.
 */
import { com35Simulator } from './com35';
import type { SimulatorFactory } from './types';

export const SIMULATORS: Record<string, SimulatorFactory> = {
  com35: com35Simulator,
};
