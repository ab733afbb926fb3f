# The 35.com bridge (and the gateway's fixed-IP egress) as a container: `npm run build:bridge`'s
# one-file bundle on Node 20, run as the unprivileged `node` user. docs/deploy.md runs it behind
# Caddy with deploy/compose.yaml.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The build needs esbuild (a devDependency); no install script is needed to bundle.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY scripts/build-bridge.mjs scripts/
COPY src src
RUN node scripts/build-bridge.mjs dist/bridge.mjs

FROM node:20-slim
ENV NODE_ENV=production \
    BRIDGE_HOST=0.0.0.0 \
    BRIDGE_PORT=8788 \
    BRIDGE_SENT_CLTRIDS_FILE=/var/lib/registrar-bridge/sent-cltrids
# The memory of renewals sent to 35.com must outlive the container: keep this directory on a volume.
RUN mkdir -p /var/lib/registrar-bridge && chown node:node /var/lib/registrar-bridge
VOLUME /var/lib/registrar-bridge
COPY --from=build /app/dist/bridge.mjs /app/bridge.mjs
USER node
WORKDIR /app
EXPOSE 8788
# /health answers unsigned on loopback only, which is where this check runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BRIDGE_PORT || 8788) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM logs every 35.com session out before the process exits.
STOPSIGNAL SIGTERM
# The Node flags of src/tcp-bridge/node-flags.ts (a test checks they match).
CMD ["node", "--max-semi-space-size=2", "/app/bridge.mjs"]
