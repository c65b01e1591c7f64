# syntax=docker/dockerfile:1
# amazon-pay-mock: the emulator as a container.
#   docker build -t amazon-pay-mock .
#   docker run --rm -p 8080:8080 -p 8443:8443 -v apm-data:/data amazon-pay-mock
# Every setting is an AMAZON_PAY_MOCK_* variable (docker run -e ...), or a flag after the whole command:
#   docker run ... amazon-pay-mock node dist/server/main.js --buyer-approval manual   (see --help)
# Flags alone after the image name replace the command, and node's entrypoint runs them as node's own options.

# Build: install everything, compile TypeScript, then drop the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first so the npm ci layer is reused while only sources change. --ignore-scripts: the
# package's prepare script builds, and the sources are not here yet (the build runs below).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run: compiled JavaScript, production dependencies, fixtures and the API document.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    AMAZON_PAY_MOCK_HOST=0.0.0.0 \
    AMAZON_PAY_MOCK_DATA_DIR=/data
WORKDIR /app
# Owned by root, so the server cannot modify its own code; it writes only to /data.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/fixtures ./fixtures
COPY --from=build /app/openapi.yaml ./openapi.yaml
# The state file and the local CA live here; a named volume inherits this owner. /data/tls is 0755
# with ca.pem 0644 (keys 0600): an application container of another uid mounting the volume reads the CA.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080 8443
# No curl in slim images: node itself probes the plain-HTTP listener.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.AMAZON_PAY_MOCK_HTTP_PORT||8080)+'/__admin/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# Exec form with node as PID 1: SIGTERM from `docker stop` reaches the graceful shutdown (npm would not forward it).
CMD ["node", "dist/server/main.js"]
