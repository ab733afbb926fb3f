/**
 * What the worker's bundle gets for `import … from 'zod'` (wrangler.toml `[alias]`): zod itself,
 * minus the 40 translations of its error messages. @hono/zod-openapi hands the `z` namespace to
 * `extendZodWithOpenApi(z)` as a value, so the bundler must keep every member of it — and zod's
 * namespace carries `locales` (twice: `z.locales`, `z.core.locales`), about 260 KiB of messages
 * in languages the gateway never shows (zod registers English itself, in its schemas module).
 * These namespaces are zod's own, export for export, without that member; no bundler option
 * removes one member of a namespace object, hence these files. Tests and type checks use zod
 * unchanged; only the worker's bundle is aliased. Re-check the lists when zod is upgraded.
 */
import * as z from './zod-api';

export * from './zod-api';
export { z, z as default };
