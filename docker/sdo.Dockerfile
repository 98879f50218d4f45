# SDO api and worker images (one Dockerfile, two targets):
#   docker build -f docker/sdo.Dockerfile --target api -t sdo-api .
#   docker build -f docker/sdo.Dockerfile --target worker -t sdo-worker .
#   docker build -f docker/sdo.Dockerfile --target console -t sdo-console .
# TODO(#13 compiled build): main has no api:build / worker:build targets yet, so the images run
# from TypeScript source under ts-node (transpile-only), exactly as `npm start` does. When the
# compiled build lands, the build stage runs `npx nx run api:build worker:build` and the runtime
# stages copy dist/ and run `node dist/apps/<app>/main.js` without ts-node or the sources.

FROM node:20-bookworm-slim AS deps
WORKDIR /sdo
# better-sqlite3 and libpg-query compile natively when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# The console's static build (Vite); the API serves it from dist/apps/console.
RUN npx nx run console:build
RUN npm prune --omit=dev --no-audit --no-fund || true

FROM node:20-bookworm-slim AS runtime
WORKDIR /sdo
ENV NODE_ENV=production TS_NODE_PROJECT=/sdo/tsconfig.json SDO_API_HOST=0.0.0.0 SDO_SQLITE_DIR=/data/sqlite
# Non-root, with the only writable place being /data (SQLite environments live under it).
RUN groupadd --system sdo && useradd --system --gid sdo --home /sdo sdo && mkdir -p /data/sqlite && chown -R sdo:sdo /data && chmod 700 /data/sqlite
# ts-node and tsconfig-paths are dev dependencies: taken from the full install until the compiled build.
COPY --from=deps /sdo/node_modules ./node_modules
COPY --from=build /sdo/package.json /sdo/tsconfig.json /sdo/tsconfig.base.json ./
COPY --from=build /sdo/apps ./apps
COPY --from=build /sdo/libs ./libs
COPY --from=build /sdo/activities ./activities
COPY --from=build /sdo/workflows ./workflows
COPY --from=build /sdo/dist ./dist
USER sdo
VOLUME ["/data"]

FROM runtime AS api
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.SDO_API_PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "-r", "ts-node/register/transpile-only", "-r", "tsconfig-paths/register", "apps/api/src/main.ts"]

FROM runtime AS worker
# The worker serves no HTTP yet (metrics port: see h/codec); healthy = it reaches Temporal's frontend.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD node -e "const [h,p]=(process.env.TEMPORAL_ADDRESS||'').split(':');require('net').connect(+p,h).on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"
CMD ["node", "-r", "ts-node/register/transpile-only", "-r", "tsconfig-paths/register", "apps/worker/src/main.ts"]

# The console on its own (static files; /v1 is proxied to the API by the web server's config).
FROM nginxinc/nginx-unprivileged:1.27-alpine AS console
COPY --from=build /sdo/dist/apps/console /usr/share/nginx/html
COPY docker/console.nginx.conf /etc/nginx/conf.d/default.conf
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s CMD wget -qO- http://127.0.0.1:8080/ >/dev/null || exit 1
