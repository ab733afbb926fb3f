/**
 * `npm run deploy:check [-- --env production] [--env-file <file>]… [--config wrangler.toml] [--offline]`:
 * is this deployment complete? Reads wrangler.toml (through wrangler's own reader, so an
 * environment's bindings resolve exactly as `wrangler deploy --env` resolves them) and the
 * variables of the deployment: the environment's `[vars]`, then this process's environment, then
 * each `--env-file` in order (a later one wins). Prints one line per problem and exits 1, or exits
 * 0; a check it had to skip is a `notice:` line. Problems name variables and bindings, never a
 * value. Everything but the bridge's reachability runs offline.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { bridgeProblems } from './deploy-check/bridge';
import { deploymentProblems } from './deploy-check/deployment';
import { wranglerProblems } from './deploy-check/wrangler';

export interface CheckReport {
  problems: string[];
  notices: string[];
}

export interface CheckOptions {
  /** Path of wrangler.toml. */
  config: string;
  /** A `[env.<name>]` section, or the top level when unset. */
  env?: string;
  envFiles: string[];
  offline: boolean;
  /** How long the bridge has to answer /health. */
  bridgeTimeoutMs: number;
  /** The process environment (a parameter, so a test can pass its own). */
  processEnv: Readonly<Record<string, string | undefined>>;
}

export async function deployCheck(opts: CheckOptions): Promise<CheckReport> {
  const report: CheckReport = { problems: [], notices: [] };
  const wrangler = await wranglerProblems(opts.config, opts.env);
  report.problems.push(...wrangler.problems);
  const vars: Record<string, string> = { ...wrangler.vars };
  for (const [name, value] of Object.entries(opts.processEnv)) if (value !== undefined) vars[name] = value;
  for (const file of opts.envFiles) Object.assign(vars, parseEnv(readFileSync(file, 'utf8')));
  const deployment = deploymentProblems(vars, wrangler.plainVarNames);
  report.problems.push(...deployment.problems);
  report.notices.push(...deployment.notices);
  const bridge = await bridgeProblems(vars, { offline: opts.offline, timeoutMs: opts.bridgeTimeoutMs });
  report.problems.push(...bridge.problems);
  report.notices.push(...bridge.notices);
  return report;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'wrangler.toml' },
      env: { type: 'string' },
      'env-file': { type: 'string', multiple: true, default: [] },
      offline: { type: 'boolean', default: false },
      'bridge-timeout-ms': { type: 'string', default: '5000' },
    },
  });
  const report = await deployCheck({
    config: values.config,
    env: values.env,
    envFiles: values['env-file'],
    offline: values.offline,
    bridgeTimeoutMs: Number(values['bridge-timeout-ms']),
    processEnv: process.env,
  });
  for (const notice of report.notices) console.log(`notice: ${notice}`);
  for (const problem of report.problems) console.log(problem);
  const where = values.env ? `[env.${values.env}]` : 'the top level';
  if (report.problems.length === 0) console.log(`deploy:check: ${where} of ${values.config} is complete`);
  else console.log(`deploy:check: ${report.problems.length} problem(s) in ${where} of ${values.config}`);
  return report.problems.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      // An unreadable file, a wrangler.toml that does not parse: say which, and fail.
      console.log(`deploy:check: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
