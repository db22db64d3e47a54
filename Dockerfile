# DataFibers' image: one image for the API, a worker, or both, chosen by the command
# (docs/deployment.md, "The image"):
#   node dist/src/main.js         API and worker (the default)
#   node dist/src/api-main.js     the API alone
#   node dist/src/worker-main.js  a worker alone
# The build stage compiles with the dev dependencies; the runtime stage holds only the production
# dependencies and the build's dist/ (compiled code, web console, workflow bundle).
ARG NODE_IMAGE=node:24.21.0-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script reports to a third party.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-console.js scripts/bundle-workflows.js ./scripts/
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    SCARF_ANALYTICS=false \
    MALLOC_ARENA_MAX=2 \
    DF_HOST=0.0.0.0 \
    DF_PORT=8080
# package.json is read at run time too: it gives DF its version.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY deploy/probe.js ./deploy/probe.js
# The code stays root's and read-only to the process; DF writes only to DF_DATA_DIR, a volume.
RUN mkdir -p /df-data && chown node:node /df-data
USER node
ENV DF_DATA_DIR=/df-data
EXPOSE 8080
# GET /livez on DF_PORT. A worker-only container has no API: its compose service or pod names the
# probe listener's port as the probe's argument instead (docs/deployment.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/probe.js"]
# Files and folders DF makes in a data folder shared with Flink and Kafka Connect stay writable by
# the group they share (docker-compose.yml gives all three one group).
ENTRYPOINT ["/bin/sh", "-c", "umask 0002 && exec \"$@\"", "datafibers"]
CMD ["node", "dist/src/main.js"]
