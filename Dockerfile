# syntax=docker/dockerfile:1
#
# activation-server: a small, non-root image of the release binary.
#
# Build:  docker build -t activation-service .
# Run:    docker run --rm -p 8080:8080 activation-service
#
# The build flags, the runtime base release and the runtime packages below are mirrored by
# scripts/container-smoke.sh, which proves these steps without a Docker engine;
# scripts/check-container-sync.sh (run by the test suite) fails when the two drift apart.

ARG SWIFT_VERSION=6.3
ARG DEBIAN_RELEASE=bookworm

# MARK: build stage
FROM swift:${SWIFT_VERSION}-${DEBIAN_RELEASE} AS build
WORKDIR /src

# OpenSSL headers for the TLS listener; zlib headers for the gzip and deflate content codings.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

# Resolve dependencies in a layer of their own: a code change does not re-resolve them.
COPY Package.swift ./
RUN swift package resolve

# SwiftPM checks that every target of Package.swift has its folder, test targets included.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product activation-server \
    && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/activation-server" \
        /staging/usr/local/bin/activation-server

# MARK: runtime stage
FROM debian:${DEBIAN_RELEASE}-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin activation

COPY --from=build /staging/ /

LABEL org.opencontainers.image.title="activation-service" \
      org.opencontainers.image.description="Neural-network activation functions and their gradients over HTTP" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://example.invalid/activation-service"

USER 10001:10001
ENV HOST=0.0.0.0 \
    PORT=8080
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/activation-server", "healthcheck", "--port", "8080"]
ENTRYPOINT ["/usr/local/bin/activation-server"]
