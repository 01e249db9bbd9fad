# syntax=docker/dockerfile:1
# Build stage: the official Swift 6 image, release build. The Swift runtime libraries the binary links are copied
# beside it (it finds them through its $ORIGIN run path) rather than linked in with --static-swift-stdlib: NIO runs
# the request handlers on its event loops by finding Swift concurrency's enqueue hook by name, which a static
# standard library hides (the server then keeps Swift's own pool, one thread switch more each way per request).
# The image is about as large either way (the static binary is larger by about the libraries' size).
FROM swift:6.3-jammy AS build
# zlib is the one C library the binary links (compress-nio's gzip); swift-crypto carries its own BoringSSL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first, in a layer of their own: a change to the sources does not fetch the packages again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN swift build -c release --product eksnet-server \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /staging \
    && cp "$bin/eksnet-server" /staging/ \
    && cp -R "$bin/eksnet_EKSNetServer.resources" /staging/ \
    && ldd "$bin/eksnet-server" | awk '$3 ~ "^/usr/lib/swift/" { print $3 }' | xargs cp -t /staging/ \
    && test -e /staging/libswift_Concurrency.so

# Runtime stage: what the binary links (the Swift libraries beside it, zlib; libc, libstdc++ and libgcc are in the
# base image), curl for the HEALTHCHECK, and a non-root user. No TLS libraries or CA bundle: the service makes no
# outbound connection.
FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends zlib1g curl \
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
