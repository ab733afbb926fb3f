/**
 * The bridge's defaults, in a module of their own: server.ts applies them, and the configuration
 * table shows them (tcp-bridge/config.ts) without the worker, which gathers every variable's
 * declaration, importing the bridge's server.
 */
import { COM35_SESSIONS_PER_ACCOUNT } from '../providers/com35/bridge-protocol';
import type { IdlePolicy } from './pool';

export const BRIDGE_DEFAULTS = {
  // The worker's account gate admits as many calls per account (bridge-protocol.ts).
  poolSize: COM35_SESSIONS_PER_ACCOUNT,
  queueMax: 1000,
  queueTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  readTimeoutMs: 60_000,
  maxMessageBytes: 1024 * 1024,
  // 150 per session (35.com manual §7.1.3.5), whether Login/Logout count is unsaid: 148 + Login + Logout ≤ 150.
  sessionCommandBudget: 148,
  idlePolicy: 'keepalive' as IdlePolicy,
  idleMs: 60_000,
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
  // A command is a few hundred bytes.
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Above the queue's 1000, so a burst meets the queue's clean "503, not sent" before a dropped socket.
  maxConnections: 1024,
  // 35.com serves tens of commands a second; 100,000 in two minutes is an attack.
  nonceCapacity: 100_000,
  sentCltridHorizonMs: 24 * 3600 * 1000,
  sentCltridCapacity: 100_000,
  // The relay (relay.ts): a registrar call rarely takes seconds; the worker's deadline is usually shorter.
  relayTimeoutMs: 60_000,
  // The account gates admit the worker's calls; this only bounds what a flood could hold open.
  relayMaxInFlight: 16,
  relayMaxReplyBytes: 8 * 1024 * 1024,
};
