/**
 * docs/deploy.md's list of secrets, by feature, from the variables' declarations
 * (src/config-vars.ts): `npx tsx scripts/deploy-secrets.ts` prints it (paste between the
 * deploy-secrets markers); a test checks the page holds exactly this.
 */
import { SERVICE_VAR_GROUPS } from '../src/config-vars';
import type { VarReader } from '../src/core/config-declaration';

/** Where an operator puts a secret: the worker's secrets at Cloudflare, the bridge's env file, or both. */
const WHERE: Record<VarReader, string> = {
  worker: 'worker',
  bridge: 'bridge',
  both: 'worker and bridge',
  start: 'local only',
  'bot-cli': 'local only',
};

export function deploySecretsTable(): string {
  const rows = SERVICE_VAR_GROUPS.flatMap(({ feature, vars }) =>
    vars
      .filter((v) => v.secret)
      .map((v) => `| ${feature} | \`${v.name}\` | ${WHERE[v.for]} | ${v.description} |`),
  );
  return ['| feature | secret | set on | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(deploySecretsTable());
