# letterdesk: one image for every node (HTTP, SMTP and background jobs).
#
#   docker build -t letterdesk .
#   docker run -p 3000:3000 -p 2525:2525 -v letterdesk-data:/data letterdesk
#
# Node is the same major and version the project pins through the npm `node`
# package (package.json devDependencies; test/deploy/deploy-files.test.ts
# keeps the two equal). TypeScript runs directly on Node 24: no compile step.
ARG NODE_VERSION=24.21.0

# --- build: production dependencies and the desk's browser code -------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: the running image needs no compiler, test tools or the `node`
# package (the base image is that Node already); vite, which builds the desk, is a dependency.
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY web ./web
COPY scripts/build-desk.ts ./scripts/build-desk.ts
RUN node scripts/build-desk.ts

# --- run ------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SMTP_PORT=2525 \
    LETTERDESK_DATA=/data
WORKDIR /app
# Owned by root and read-only to the app: it writes only to /data (the
# embedded database; unused with DATABASE_URL).
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 2525
# /healthz answers 200 while the process lives and its database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM stops it (docker stop); SIGHUP re-reads the SMTP certificate.
STOPSIGNAL SIGTERM
CMD ["node", "src/cli/main.ts", "start", "--no-demo"]
