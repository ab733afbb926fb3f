/**
 * Cron Triggers: each cron expression of wrangler.toml maps to the tasks it runs. Features add
 * their tasks to CRON_TASKS; a failing task is logged and does not stop the others.
 */
import type { Env } from '../env';
import { configFor } from '../env';
import { createAccounts } from './accounts';
import { syncAllAccounts } from './inventory';
import { createLogger, type Logger } from './log';
import type { Notifier } from './notifications';
import { sweepRenewals } from './renewals/executor';
import { runReminders } from './renewals/reminders';
import { pruneWebhookRecords } from './webhook-deliveries';

export type CronTask = (env: Env, logger: Logger, scheduledTime: number, notifier: Notifier) => Promise<void>;

/** Cron expression (exactly as in wrangler.toml) → tasks. */
export const CRON_TASKS: Record<string, CronTask[]> = {
  '0 * * * *': [
    // Refresh the domain inventory from every account (issue 8).
    (env, logger) => syncAllAccounts(env.DB, createAccounts(env, configFor(env), logger), logger),
    // Re-drive renewals a lost message or a dead worker left behind (issue 9).
    async (env, logger) => void (await sweepRenewals(env, logger)),
  ],
  '30 6 * * *': [
    async (env, logger, at, notifier) => void (await runReminders(env, logger, notifier, at)),
    // Retention of billing webhook records (issue 10).
    async (env, logger) => logger.info('webhook records pruned', await pruneWebhookRecords(env.DB)),
  ],
};

export async function runScheduled(
  controller: ScheduledController,
  env: Env,
  ctx: ExecutionContext,
  notifier: Notifier,
): Promise<void> {
  const config = configFor(env);
  const logger = createLogger({
    secrets: config.secrets,
    level: config.logLevel,
    base: { cron: controller.cron },
  });
  const tasks = CRON_TASKS[controller.cron] ?? [];
  if (tasks.length === 0) logger.warn('no task for this cron expression');
  const results = await Promise.allSettled(
    tasks.map((t) => t(env, logger, controller.scheduledTime, notifier)),
  );
  for (const r of results)
    if (r.status === 'rejected') logger.error('cron task failed', { error: String(r.reason) });
  ctx.waitUntil(Promise.resolve());
}
