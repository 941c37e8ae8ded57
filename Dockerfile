# syntax=docker/dockerfile:1
# The portal as one container image: a static Go binary on Debian slim, run as a non-root user.
# It needs a PostgreSQL given by DATABASE_URL (docker-compose.yml starts one); `serve`, the
# default command, applies the migrations before it listens.
#
#   docker build -t portal .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=postgres://... -e SESSION_SECRET=... portal

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, so a change in the code does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# Templates, static files, migrations and the postal data are embedded: the binary is all.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/portal ./cmd/portal

FROM debian:bookworm-slim
# ca-certificates for SMTP over TLS, tzdata for TZ, curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin portal
COPY --from=build /out/portal /usr/local/bin/portal
USER portal
ENV LISTEN_HOST=0.0.0.0 \
    PORT=8080 \
    TZ=Asia/Tokyo
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/readyz" >/dev/null || exit 1
ENTRYPOINT ["portal"]
CMD ["serve"]
