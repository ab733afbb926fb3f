/**
 * `npm run build:bridge [-- <outfile>]`: the 35.com bridge as one ES module for Node 20
 * (default `dist/bridge.mjs`), what the Dockerfile and the systemd unit run. Only the product's
 * runtime dependencies may be bundled: a devDependency reaching the bundle fails the build, since
 * the production host installs none of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = process.argv[2] ?? join(root, 'dist/bridge.mjs');
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** The runtime dependencies and everything they depend on: what `npm ci --omit=dev` installs. */
function runtimePackages() {
  const found = new Set();
  const queue = Object.keys(manifest(root).dependencies ?? {});
  while (queue.length > 0) {
    const name = queue.shift();
    if (found.has(name)) continue;
    found.add(name);
    const dir = join(root, 'node_modules', name);
    // A version nested under its dependent is not hoisted here; its name still counts.
    if (existsSync(dir)) queue.push(...Object.keys(manifest(dir).dependencies ?? {}));
  }
  return found;
}

const result = await build({
  entryPoints: [join(root, 'src/tcp-bridge/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  metafile: true,
  logLevel: 'warning',
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});

/** The package a bundled file belongs to: the one after the last `node_modules/` of its path. */
const packageOf = (input) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
const bundled = new Set(Object.keys(result.metafile.inputs).map(packageOf).filter(Boolean));
const runtime = runtimePackages();
const foreign = [...bundled].filter((name) => !runtime.has(name));
if (foreign.length > 0) {
  console.error(`build:bridge: not a runtime dependency, yet bundled: ${foreign.join(', ')}`);
  process.exit(1);
}
console.log(`build:bridge: ${outfile} (${[...bundled].sort().join(', ')})`);
