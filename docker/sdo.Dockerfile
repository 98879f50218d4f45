# SDO api and worker images (one Dockerfile, two targets):
#   docker build -f docker/sdo.Dockerfile --target api -t sdo-api .
#   docker build -f docker/sdo.Dockerfile --target worker -t sdo-worker .
#   docker build -f docker/sdo.Dockerfile --target console -t sdo-console .
# The images run the compiled build (tools/build/build.ts: tsc per app, the workflow bundle made
# once at build time), as `npm start` does: no TypeScript sources, no ts-node at runtime.

FROM node:20-bookworm-slim AS deps
WORKDIR /sdo
# better-sqlite3 and libpg-query compile natively when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# api and worker compiled into dist/api and dist/worker; the console's static build (Vite) into
# dist/apps/console, which the API serves.
RUN npx nx run api:build && npx nx run worker:build && npx nx run console:build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /sdo
ENV NODE_ENV=production SDO_API_HOST=0.0.0.0 SDO_SQLITE_DIR=/data/sqlite
# Non-root, with the only writable place being /data (SQLite environments live under it).
RUN groupadd --system sdo && useradd --system --gid sdo --home /sdo sdo && mkdir -p /data/sqlite && chown -R sdo:sdo /data && chmod 700 /data/sqlite
# Production dependencies only (pruned in the build stage) and the compiled apps.
COPY --from=build /sdo/node_modules ./node_modules
COPY --from=build /sdo/package.json ./
COPY --from=build /sdo/dist ./dist
USER sdo
VOLUME ["/data"]

FROM runtime AS api
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.SDO_API_PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/api/main.js"]

FROM runtime AS worker
# Healthy = its Temporal runtime answers on its Prometheus port (SDO_WORKER_METRICS_PORT, as compose
# sets it); with no such port, that it reaches Temporal's frontend.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
  CMD node -e "const m=process.env.SDO_WORKER_METRICS_PORT;if(m)fetch('http://127.0.0.1:'+m+'/metrics').then(r=>process.exit(r.ok?0:1),()=>process.exit(1));else{const a=process.env.TEMPORAL_ADDRESS||'',i=a.lastIndexOf(':');require('net').connect(+a.slice(i+1),a.slice(0,i).replace(/^\[|\]$/g,'')).on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))}"
CMD ["node", "dist/worker/main.js"]

# The console on its own (static files; /v1 is proxied to the API by the web server's config).
FROM nginxinc/nginx-unprivileged:1.27-alpine AS console
COPY --from=build /sdo/dist/apps/console /usr/share/nginx/html
COPY docker/console.nginx.conf /etc/nginx/conf.d/default.conf
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s CMD wget -qO- http://127.0.0.1:8080/ >/dev/null || exit 1
