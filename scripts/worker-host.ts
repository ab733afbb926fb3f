/**
 * The worker under `wrangler dev`'s own engine, but without its devtools inspector — for the long
 * campaigns and the benchmarks (`startLocalStack({ inspector: false })`); `npm start` keeps plain
 * `wrangler dev`.
 *
 * Why: `wrangler dev` always attaches an inspector proxy that enables the runtime's Network domain
 * and forwards every event it sees (each D1 query, each subrequest) to its Node process as one
 * HTTP request. Under the fault campaign (thousands of queries a minute) that Node process grew to
 * its 4 GB heap limit and died, and workerd ran out of file descriptors (20,000) on connections to
 * it. The CLI cannot turn the inspector off; wrangler's `unstable_startWorker` can.
 *
 *   tsx scripts/worker-host.ts <port> <persist-dir> <env-file>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unstable_DevEnv } from 'wrangler';
import { DIRECT_URL_FILE, REPO_ROOT } from './local-stack';

const [port, persist, envFile] = process.argv.slice(2);
if (!port || !persist || !envFile) {
  console.error('usage: worker-host <port> <persist-dir> <env-file>');
  process.exit(2);
}

/**
 * `wrangler dev` serves the worker behind a proxy worker of its own, in a second workerd process
 * (it holds requests while the worker reloads). A deployed worker has no such hop, so the benches
 * measure the worker at its own address, which the runtime announces in its `reloadComplete` event.
 */
const devEnv = new unstable_DevEnv();
const dispatch = devEnv.dispatch.bind(devEnv);
devEnv.dispatch = (event) => {
  // Written before the proxy hears of the worker, so it exists before /health first answers.
  if (event.type === 'reloadComplete') {
    const { protocol, hostname, port } = event.proxyData.userWorkerUrl;
    writeFileSync(join(persist, DIRECT_URL_FILE), `${protocol}//${hostname}:${port}`);
  }
  dispatch(event);
};

const worker = await devEnv.startWorker({
  config: join(REPO_ROOT, 'wrangler.toml'),
  envFiles: [envFile],
  dev: {
    inspector: false,
    remote: false,
    persist,
    server: { hostname: '127.0.0.1', port: Number(port) },
    // GET /__scheduled?cron=… runs a cron task on demand, as `wrangler dev --test-scheduled`.
    testScheduled: true,
    watch: false,
    liveReload: false,
    logLevel: 'warn',
  },
});
await worker.ready;

const stop = async () => {
  await worker.dispose().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
