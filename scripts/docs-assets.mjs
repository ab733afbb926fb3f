#!/usr/bin/env node
// Copies Swagger UI's JS and CSS from the swagger-ui-dist package into public/ so Workers Static
// Assets serve the /docs page offline (no CDN) without putting 1.7 MB into the worker script.
// Run by wrangler as the [build] command (dev and deploy); safe to run again.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const target = join(root, 'public', 'docs', 'assets', 'swagger-ui-dist');
mkdirSync(target, { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE']) {
  copyFileSync(join(dist, file), join(target, file));
}
