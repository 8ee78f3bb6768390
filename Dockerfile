# syntax=docker/dockerfile:1
# Orchard's image: `docker build --build-arg ORCHARD_VERSION=$(node -p "require('./package.json').version") \
#   --build-arg ORCHARD_REVISION=$(git rev-parse HEAD) -t orchard .` (docs/kubernetes.md).
# The CLI runs from source through tsx (a runtime dependency), so the only build output is the web UI.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY src ./src
# The UI imports a few pure modules from src/. Then drop what only development needs: nothing in
# bin/, src/ or templates/ imports a devDependency at run time.
RUN npm run build:web && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ARG ORCHARD_VERSION=dev
ARG ORCHARD_REVISION=unknown
LABEL org.opencontainers.image.title="Orchard" \
      org.opencontainers.image.description="A self-hosted AI software factory" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${ORCHARD_VERSION}" \
      org.opencontainers.image.revision="${ORCHARD_REVISION}"
# Chromium for the browser robot, git (and LFS) for repositories, bubblewrap and slirp4netns for
# the sandbox of jobs and apps, tini as PID 1 (signals, zombies of git and sandboxed children).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       chromium git git-lfs bubblewrap slirp4netns ca-certificates tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 orchard \
    && useradd --uid 10001 --gid 10001 --home-dir /home/orchard --create-home --shell /usr/sbin/nologin orchard \
    && mkdir -p /var/lib/orchard \
    && chown orchard:orchard /var/lib/orchard
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
COPY templates ./templates
ENV NODE_ENV=production \
    ORCHARD_VERSION=${ORCHARD_VERSION} \
    ORCHARD_HOME=/var/lib/orchard \
    ORCHARD_HOST=0.0.0.0 \
    ORCHARD_PORT=7300 \
    ORCHARD_CHROMIUM_PATH=/usr/bin/chromium
VOLUME ["/var/lib/orchard"]
USER 10001:10001
EXPOSE 7300
# No curl in the slim image: node asks /health itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ORCHARD_PORT || 7300) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["tini", "--", "node", "bin/orchard"]
CMD ["up"]
