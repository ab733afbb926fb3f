/**
 * The flags Node runs the bridge with, wherever it is deployed (Dockerfile, the systemd unit) and
 * in the benchmark that measures its memory; node-flags.test.ts checks the deploy files agree.
 *
 * `--max-semi-space-size=2` (MiB): a burst of queued commands keeps every request alive until a
 * session is free, so V8 sees a high survival rate and grows the young generation to its default
 * ceiling (16 MiB per semi-space, 32 MiB of new space), which RSS keeps. The bridge allocates a few
 * KiB per command at tens of commands a second: smaller semi-spaces only mean more, shorter
 * scavenges (docs/decisions.md, "The bridge's young generation is capped").
 */
export const BRIDGE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
