/**
 * Starts the Alibaba Cloud Domain simulator on an HTTP port. Its env points the gateway at it with
 * the simulator's own test account, and short task polls so renewals settle in well under a second.
 *
 * Control calls besides the shared ones (`POST /__sim/<name>`):
 *   config   {taskDelayMs?, balance?}   how long tasks take; the account balance (USD decimal)
 *   domains  {domain, expiresAt, nameservers?, transferLock?, clientHold?}   add a domain
 *   settle   {}                          finish every running task now
 *   inject   {action, code, message?, status?, times?}   answer a documented error code (NetworkIOError,
 *            Busy, …) for the next calls of an action, before it acts
 */
import { startHttpSimulator } from '../shared/http-sim';
import type { SimulatorFactory } from '../types';
import { createAlibabaSimLogic } from './logic';

export const startAlibabaSimulator: SimulatorFactory = async (opts) => {
  const logic = createAlibabaSimLogic({ account: opts.account });
  const server = await startHttpSimulator(logic, opts);
  return {
    key: 'alibaba',
    controlUrl: server.url,
    env: {
      ALIBABA_ENDPOINT: server.url,
      ALIBABA_ACCESS_KEY_ID: logic.accessKey.id,
      ALIBABA_ACCESS_KEY_SECRET: logic.accessKey.secret,
      ALIBABA_TASK_POLL_INTERVAL_MS: '100',
      ALIBABA_TASK_POLL_ATTEMPTS: '15',
    },
    close: () => server.close(),
  };
};
