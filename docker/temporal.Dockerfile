# The full Temporal server and its SQL schema tool, built from the Go module exactly as
# tools/cluster/cluster.ts builds them for the cluster profile (same version).
FROM golang:1.25-bookworm AS build
ARG TEMPORAL_VERSION=v1.32.2
ENV GOTOOLCHAIN=auto CGO_ENABLED=0
RUN go install go.temporal.io/server/cmd/server@${TEMPORAL_VERSION} \
 && go install go.temporal.io/server/cmd/tools/sql@${TEMPORAL_VERSION} \
 && cp -r "$(go env GOMODCACHE)/go.temporal.io/server@${TEMPORAL_VERSION}/schema/postgresql/v12" /schema

FROM debian:bookworm-slim
RUN groupadd --system temporal && useradd --system --gid temporal temporal
COPY --from=build /go/bin/server /usr/local/bin/temporal-server
COPY --from=build /go/bin/sql /usr/local/bin/temporal-sql-tool
COPY --from=build /schema /etc/temporal/schema
COPY docker/temporal/config.yaml docker/temporal/setup-schema.sh /etc/temporal/
COPY tools/cluster/dynamic-config.yaml /etc/temporal/dynamic-config.yaml
USER temporal
EXPOSE 7233
CMD ["temporal-server", "--config-file", "/etc/temporal/config.yaml", "--allow-no-auth", "start"]
