# syntax=docker/dockerfile:1
# Multi-stage build of the API server with the corpus baked in.
#   runtime (default): distroless, non-root, < 100 MB — the web service.
#   backup:            Debian slim with pg_dump + rclone — the daily backup cron job.

FROM rust:1.96.1-slim-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends g++ make pkg-config && rm -rf /var/lib/apt/lists/*
COPY . .
ARG GIT_SHA=unknown
ENV GIT_SHA=${GIT_SHA}
# The corpus comes from content/ through the same site build that produces the pages.
RUN cargo build --release --locked -p server -p site \
 && ./target/release/site build --out /out/public \
 && mkdir -p /out/app/data \
 && cp target/release/server /out/app/server && strip /out/app/server \
 && cp -r /out/public/rag /out/app/rag

FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
WORKDIR /app
COPY --from=build --chown=nonroot:nonroot /out/app /app
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/app/data CORPUS_SOURCE=/app/rag LOG_FORMAT=json APP_ENV=production
USER nonroot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/app/server", "healthcheck"]
ENTRYPOINT ["/app/server"]
CMD ["serve"]

FROM debian:bookworm-slim AS backup
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg rclone \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update && apt-get install -y --no-install-recommends postgresql-client-17 \
 && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 backup-runner
COPY --from=build /out/app/server /app/server
COPY ops/backup/render-backup.sh /app/render-backup.sh
USER backup-runner
ENTRYPOINT ["/app/render-backup.sh"]
