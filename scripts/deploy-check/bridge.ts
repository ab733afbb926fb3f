/**
 * Does the bridge answer? A signed `GET /health` to BRIDGE_URL, as the worker would sign it (the
 * bridge answers /health unsigned only on its own loopback), with a short timeout. The one check
 * that needs the network; `--offline` skips it with a notice.
 */
import { splitSecretList } from '../../src/core/config-schema';
import { urlWithoutCredentials } from '../../src/core/log';
import { signedBridgeHeaders } from '../../src/providers/com35/bridge-protocol';
import type { Findings } from './deployment';

const HEALTH_PATH = '/health';

/** Why a fetch failed, in words that do not echo the request (its headers carry a signature). */
function failureReason(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time';
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' ? code : 'the connection failed';
}

export async function bridgeProblems(
  vars: Readonly<Record<string, string>>,
  opts: { offline: boolean; timeoutMs: number },
): Promise<Findings> {
  const findings: Findings = { problems: [], notices: [] };
  const bridgeUrl = vars.BRIDGE_URL;
  if (!bridgeUrl) return findings;
  const shown = urlWithoutCredentials(bridgeUrl).replace(/\/$/, '');
  if (opts.offline) {
    findings.notices.push(`--offline: did not check that the bridge at ${shown} answers`);
    return findings;
  }
  const secret = vars.BRIDGE_SECRET ? splitSecretList(vars.BRIDGE_SECRET)[0] : undefined;
  const headers = secret
    ? await signedBridgeHeaders(secret, { method: 'GET', path: HEALTH_PATH, body: '' })
    : undefined;
  let res: Response;
  try {
    res = await fetch(new URL(HEALTH_PATH, bridgeUrl), {
      headers,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel();
  } catch (error) {
    findings.problems.push(`BRIDGE_URL: the bridge at ${shown} is unreachable (${failureReason(error)})`);
    return findings;
  }
  if (res.status === 401)
    findings.problems.push(
      `BRIDGE_SECRET: the bridge at ${shown} refused the signature (a different secret, or its clock is more than 60 s off)`,
    );
  else if (res.status === 503)
    findings.problems.push(`BRIDGE_URL: the bridge at ${shown} answers, but no 35.com session is logged in`);
  else if (res.status !== 200)
    findings.problems.push(`BRIDGE_URL: the bridge at ${shown} answered /health with ${res.status}`);
  return findings;
}
