/**
 * What `wrangler deploy --env <name>` would deploy, read by wrangler's own config reader, held
 * against the top level (the configuration `npm start` and the tests run): every binding the worker
 * uses there must exist in the environment too (wrangler does not inherit bindings), and nothing
 * may still be a placeholder.
 */
import { experimental_readRawConfig, unstable_readConfig } from 'wrangler';

/**
 * The part of wrangler's resolved config this check reads (wrangler's own types come from a package
 * it bundles, which is not installed here).
 */
interface Config {
  d1_databases: Array<{ binding: string; database_name?: string; database_id?: string }>;
  queues: {
    producers?: Array<{ binding: string; queue: string }>;
    consumers?: Array<{ queue: string; dead_letter_queue?: string }>;
  };
  durable_objects: { bindings: Array<{ name: string; class_name: string }> };
  triggers: { crons?: string[] };
  routes?: Array<string | { pattern: string }>;
  route?: string | { pattern: string };
  vars?: Record<string, unknown>;
}

const readConfig = (path: string, env?: string): Config => unstable_readConfig({ config: path, env });

export interface WranglerFindings {
  problems: string[];
  /** The environment's `[vars]`, which are part of the deployment's variables. */
  vars: Record<string, string>;
  /** Names of the variables set in wrangler.toml as plain text (never a place for a secret). */
  plainVarNames: string[];
}

/** The id wrangler.toml ships with, before `wrangler d1 create` prints the real one. */
const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
/** Domains reserved for documentation (RFC 2606): a route on one was never replaced. */
const PLACEHOLDER_HOST = /(^|\.)example\.(com|net|org)$|\.(example|invalid|test)$/;

function routePatterns(config: Config): string[] {
  const routes = [...(config.routes ?? []), ...(config.route ? [config.route] : [])];
  return routes.map((route) => (typeof route === 'string' ? route : route.pattern));
}

export async function wranglerProblems(path: string, env: string | undefined): Promise<WranglerFindings> {
  const top = readConfig(path);
  const where = env ? `[env.${env}]` : 'top level';
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${path} ${where}: ${what}`);
  // The resolved config no longer says which environments exist; the file as written does.
  if (env && !Object.hasOwn(experimental_readRawConfig({ config: path }).rawConfig.env ?? {}, env)) {
    say(`no such environment (add an [env.${env}] section)`);
    return { problems, vars: {}, plainVarNames: [] };
  }
  const config = env ? readConfig(path, env) : top;

  for (const wanted of top.d1_databases) {
    const db = config.d1_databases.find((d) => d.binding === wanted.binding);
    if (!db) say(`no D1 database bound as ${wanted.binding}`);
    else if (!db.database_id || PLACEHOLDER_ID.test(db.database_id))
      say(
        `D1 ${wanted.binding}: database_id is the placeholder; run \`npx wrangler d1 create ${db.database_name ?? '<name>'}\` and put the id it prints here`,
      );
  }
  for (const wanted of top.queues.producers ?? []) {
    if (!config.queues.producers?.some((q) => q.binding === wanted.binding))
      say(`no queue producer bound as ${wanted.binding}`);
  }
  const consumers = config.queues.consumers ?? [];
  for (const producer of config.queues.producers ?? []) {
    const consumer = consumers.find((c) => c.queue === producer.queue);
    if (!consumer) say(`queue ${producer.queue} has no consumer (its messages would never run)`);
    else if (!consumer.dead_letter_queue)
      say(`the consumer of ${producer.queue} has no dead_letter_queue (failed messages would be dropped)`);
  }
  for (const wanted of top.durable_objects.bindings) {
    if (!config.durable_objects.bindings.some((b) => b.name === wanted.name))
      say(`no Durable Object bound as ${wanted.name} (class ${wanted.class_name})`);
  }
  if ((top.triggers.crons ?? []).length > 0 && (config.triggers.crons ?? []).length === 0)
    say('no cron triggers (the hourly sync and the daily reminders would never run)');
  for (const pattern of routePatterns(config)) {
    const host = pattern.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
    if (PLACEHOLDER_HOST.test(host)) say(`route ${pattern} is a placeholder; put the gateway's own domain`);
  }

  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.vars ?? {}))
    vars[name] = typeof value === 'string' ? value : JSON.stringify(value);
  return { problems, vars, plainVarNames: Object.keys(vars) };
}
