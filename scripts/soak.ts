/**
 * `npm run soak`: the long hardening campaigns of issue 13 (not part of `npm test`, which runs the
 * fast versions with small counts and fixed seeds). Each step prints its figures as JSON and the
 * whole run is written to reports/soak-<date>.json; docs/reliability.md quotes them.
 *
 *   npm run soak                 all steps with the counts
 *   npm run soak -- campaign     one step: codecs | fuzz | campaign | relay | load
 *   SOAK_INTENTS=200 SOAK_RUNS=2000 SOAK_SEED=7 npm run soak   smaller or replayed runs
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './local-stack';
import { fuzzSessions, recordSessions } from './soak/codec-fuzz';
import { type CampaignOptions, runFaultCampaign } from './soak/fault-campaign';
import { fuzzCom35RealReplies, realReplySessions } from './soak/real-replies';

const steps = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (step: string) => steps.length === 0 || steps.includes(step);
const seed = Number(process.env.SOAK_SEED ?? 2026);
const intents = Number(process.env.SOAK_INTENTS ?? 1000);
const runs = Number(process.env.SOAK_RUNS ?? 10000);
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

const results: Record<string, unknown> = { started: new Date().toISOString(), seed };
let failed = false;

if (want('codecs')) {
  log('codec fuzzing: recording real-wire sessions from every simulator');
  const sessions = await recordSessions();
  const perSession = Math.max(1, Math.round(runs / 5));
  const report = await fuzzSessions(sessions, { runs: perSession, seed });
  results.codecs = report;
  log(
    `codecs: ${report.cases} cases, outcomes ${JSON.stringify(report.outcomes)}, ${report.failures.length} failures`,
  );
  if (report.failures.length > 0) failed = true;

  log("codec fuzzing: the registrars' real replies (shared/fixtures/real), mutated");
  const real = await fuzzSessions(realReplySessions(sessions), { runs: perSession, seed });
  const com35 = fuzzCom35RealReplies({ runs: perSession, seed });
  results.realReplies = { sessions: real, com35 };
  log(
    `real replies: ${real.cases} + ${com35.cases} (35.com) cases, outcomes ${JSON.stringify(real.outcomes)} / ${JSON.stringify(com35.outcomes)}, ${real.failures.length + com35.failures.length} failures`,
  );
  if (real.failures.length + com35.failures.length > 0) failed = true;
}

if (want('fuzz')) {
  log(`front-door fuzzing: ${runs} cases per door (REST, billing webhooks, Telegram) in workerd`);
  const run = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'vitest'),
    ['run', '--project', 'worker', 'test/worker/hardening-fuzz.test.ts', '--reporter=verbose'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, HARDENING_RUNS: String(runs), HARDENING_SEED: String(seed) },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: vitest colours its output (ANSI escapes)
  const output = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  // The whole vitest output (a failing property's counterexample and shrink path) beside the report.
  const fuzzLog = join(REPO_ROOT, 'reports', `soak-fuzz-${results.started as string}.log`.replace(/:/g, '-'));
  mkdirSync(join(REPO_ROOT, 'reports'), { recursive: true });
  writeFileSync(fuzzLog, output);
  const figures = [
    ...output.matchAll(
      /(\w+) fuzz statuses \((\d+) runs, seed (\d+)\): (\{[^}]*\})(?:; (\d+) messages checked)?/g,
    ),
  ].map((m) => ({
    door: m[1],
    runs: Number(m[2]),
    seed: Number(m[3]),
    statuses: JSON.parse(m[4]!),
    botMessagesChecked: m[5] ? Number(m[5]) : undefined,
  }));
  results.fuzz = {
    exitCode: run.status,
    figures,
    failures:
      output
        .match(/(AssertionError|Property failed|Counterexample|Error: Test timed out)[^\n]*/g)
        ?.slice(0, 20) ?? [],
    log: fuzzLog,
  };
  log(`fuzz: exit ${run.status}; ${JSON.stringify(figures)}`);
  if (run.status !== 0) failed = true;
}

/** One fault campaign at full size, its figures printed and checked the same way every time. */
async function campaignStep(name: string, extra: Partial<CampaignOptions>): Promise<void> {
  const report = await runFaultCampaign({
    intents,
    seed,
    restarts: Number(process.env.SOAK_RESTARTS ?? 5),
    concurrency: 6,
    settleMs: 15 * 60_000,
    log,
    ...extra,
  });
  results[name] = report;
  const { lostIntents, doubleRenewals, mismatches, outcomeUnknownUnreconciled, orphanRows, bridgeReplays } =
    report;
  log(
    `${name}: ${JSON.stringify({ finalStates: report.finalStates, upstream: report.upstreamRenewals, doubles: doubleRenewals.length, lost: lostIntents.length, orphans: orphanRows.length, mismatches: mismatches.length, passedOutcomeUnknown: report.passedOutcomeUnknown, unreconciled: outcomeUnknownUnreconciled, byShape: report.byShape, refusals: report.refusals, bridgeReplays, healthFlood: report.healthFlood, relay: report.relay })}`,
  );
  const s = report.services;
  log(
    `${name} services: intents ${JSON.stringify(s.byVariant)} (api ${s.byDoor.api}, webhook ${s.byDoor.webhook})`,
  );
  log(
    `${name} services: confirmed ${s.finalStates.confirmed ?? 0}, failed ${s.finalStates.failed ?? 0}, needs_attention ${s.finalStates.needs_attention ?? 0} (${s.needsAttention.filter((n) => n.renewedUpstream > 0).length} of them renewed at the registrar); by kind ${JSON.stringify(s.finalByVariant)}`,
  );
  log(
    `${name} services: renewed upstream ${s.upstreamRenewals}, outcome_unknown seen ${s.passedOutcomeUnknown} (unreconciled ${s.outcomeUnknownUnreconciled}); doubles ${s.doubleRenewals.length}, lost ${s.lostIntents.length}, orphans ${s.orphanRows.length}, mismatches ${s.mismatches.length}`,
  );
  if (
    lostIntents.length ||
    doubleRenewals.length ||
    orphanRows.length ||
    bridgeReplays.doubleRenewals ||
    mismatches.length ||
    outcomeUnknownUnreconciled ||
    s.lostIntents.length ||
    s.doubleRenewals.length ||
    s.orphanRows.length ||
    s.mismatches.length ||
    s.outcomeUnknownUnreconciled
  )
    failed = true;
}

if (want('campaign')) {
  log(`fault campaign: ${intents} intents, seed ${seed}`);
  await campaignStep('campaign', {});
}

if (want('relay')) {
  // Issue 21: the same campaign with every HTTP account routed through the bridge's relay (the
  // simulators answer only its address), each bridge restart cutting a relayed renew in flight.
  log(`fault campaign through the relay: ${intents} intents, seed ${seed}`);
  await campaignStep('relay', { relay: true });
}

if (want('load')) {
  // The benchmark's load run (500 clients on GET /v1/availability) with faults on, while 200
  // renewal intents flow through the queue: no 500, no lost message, no double renewal.
  log('load with faults: 500 clients on GET /v1/availability while 200 intents flow');
  const report = await runFaultCampaign({
    intents: Number(process.env.SOAK_LOAD_INTENTS ?? 200),
    seed: seed + 1,
    restarts: 0,
    concurrency: 4,
    settleMs: 15 * 60_000,
    load: { connections: Number(process.env.SOAK_LOAD_CONNECTIONS ?? 500) },
    log,
  });
  results.load = report;
  log(
    `load: ${JSON.stringify(report.load)}; renewals ${JSON.stringify(report.finalStates)}, doubles ${report.doubleRenewals.length}, lost ${report.lostIntents.length}; upstream concurrency ${JSON.stringify(report.upstreamMaxConcurrency)}`,
  );
  if (report.lostIntents.length || report.doubleRenewals.length || report.load?.statusCodes['500'])
    failed = true;
}

results.finished = new Date().toISOString();
mkdirSync(join(REPO_ROOT, 'reports'), { recursive: true });
const file = join(REPO_ROOT, 'reports', `soak-${results.started as string}.json`.replace(/:/g, '-'));
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
log(`written ${file}`);
process.exit(failed ? 1 : 0);
