/**
 * The queue consumer. Messages are `{type, ...}`; each feature registers the handler of its own
 * types in JOB_HANDLERS. A handler that throws leaves the message to the queue's retry (with
 * backoff); an unknown type is logged and acknowledged, so a bad message cannot loop forever.
 */
import type { Env } from '../env';
import { configFor } from '../env';
import { createLogger, type Logger } from './log';
import { RENEWAL_JOB_HANDLERS } from './renewals/executor';
import { CALLBACK_JOB, runCallbackJob } from './webhook-callbacks';

export interface JobMessage {
  type: string;
  [key: string]: unknown;
}

export type JobHandler = (body: JobMessage, env: Env, logger: Logger) => Promise<void>;

/** Message type → handler. Features add their entries here. */
export const JOB_HANDLERS: Record<string, JobHandler> = {
  ...RENEWAL_JOB_HANDLERS,
  [CALLBACK_JOB]: runCallbackJob,
};

/** Delay before the queue redelivers a failed message, growing with attempts (seconds). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.min(attempts, 8));
}

export async function handleQueueBatch(batch: MessageBatch, env: Env, _ctx: ExecutionContext): Promise<void> {
  const config = configFor(env);
  const logger = createLogger({
    secrets: config.secrets,
    level: config.logLevel,
    base: { queue: batch.queue },
  });
  for (const message of batch.messages) {
    const body = message.body as JobMessage;
    const handler = body && typeof body.type === 'string' ? JOB_HANDLERS[body.type] : undefined;
    if (!handler) {
      logger.error('unknown job type; acknowledged without action', { type: body?.type, id: message.id });
      message.ack();
      continue;
    }
    try {
      await handler(body, env, logger.child({ job: body.type, messageId: message.id }));
      message.ack();
    } catch (error) {
      logger.warn('job failed; will be retried', {
        type: body.type,
        attempts: message.attempts,
        error: String(error),
      });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
