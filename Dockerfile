# syntax=docker/dockerfile:1
# Build stage: the official Swift 6 image, a static Swift standard library, release build.
FROM swift:6.3-jammy AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev zlib1g-dev libjemalloc-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift package resolve
RUN swift build -c release --product eksnet-server --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/eksnet-server" /staging/ \
    && cp -R "$(swift build -c release --show-bin-path)/eksnet_EKSNetServer.resources" /staging/

# Runtime stage: a slim image with only the runtime libraries and a non-root user.
FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 zlib1g tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin eksnet
WORKDIR /app
COPY --from=build --chown=10001:10001 /staging/ /app/
USER 10001:10001
# 8080: the API; 8081: /healthz, /readyz and /metrics only, outside the API's connection limit.
EXPOSE 8080 8081
ENV EKSNET_HOST=0.0.0.0 EKSNET_PORT=8080 EKSNET_PROBE_PORT=8081
HEALTHCHECK --interval=10s --timeout=2s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:8081/healthz"]
ENTRYPOINT ["/app/eksnet-server"]
