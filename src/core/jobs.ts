/**
 * The queue consumer. Messages are `{type, ...}`; each feature registers the handler of its own
 * types in JOB_HANDLERS. A handler that throws leaves the message to the queue's retry (with
 * backoff); an unknown type is logged and acknowledged, so a bad message cannot loop forever.
 */
import type { Env } from '../env';
import { configFor } from '../env';
import { type JobBatch, newJobBatch } from './job-batch';
import { createLogger, type Logger } from './log';
import type { Notifier } from './notifications';
import { RENEWAL_JOB_HANDLERS } from './renewals/executor';
import { CALLBACK_JOB, runCallbackJob } from './webhook-callbacks';

export interface JobMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * `notifier` is the composition root's (src/index.ts): the channels a finished renewal is told
 * through. `batch` is the invocation's shared scope; a caller outside a batch may leave it out.
 */
export type JobHandler = (
  body: JobMessage,
  env: Env,
  logger: Logger,
  notifier: Notifier,
  batch?: JobBatch,
) => Promise<void>;

/** Message type → handler. Features add their entries here. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  ...RENEWAL_JOB_HANDLERS,
  [CALLBACK_JOB]: runCallbackJob,
};

/** Delay before the queue redelivers a failed message, growing with attempts (seconds). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.min(attempts, 8));
}

export async function handleQueueBatch(
  batch: MessageBatch,
  env: Env,
  _ctx: ExecutionContext,
  notifier: Notifier,
): Promise<void> {
  const config = configFor(env);
  const logger = createLogger({
    secrets: config.secrets,
    level: config.logLevel,
    base: { queue: batch.queue },
  });
  // The messages of a batch run concurrently: they are usually renewals at different accounts,
  // each account's gate already paces its own calls, and exactly-once rests on the compare-and-set
  // of the renewal row, not on the consumer running one message at a time.
  const shared = newJobBatch();
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body as JobMessage;
      const handler = body && typeof body.type === 'string' ? JOB_HANDLERS[body.type] : undefined;
      if (!handler) {
        logger.error('unknown job type; acknowledged without action', { type: body?.type, id: message.id });
        message.ack();
        return;
      }
      try {
        await handler(body, env, logger.child({ job: body.type, messageId: message.id }), notifier, shared);
        message.ack();
      } catch (error) {
        logger.warn('job failed; will be retried', {
          type: body.type,
          attempts: message.attempts,
          error: String(error),
        });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}
