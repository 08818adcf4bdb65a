# strata in a container image: the binary (C libraries and Swift runtime linked in, glibc only),
# CA certificates, and a non-root user.
#
#   docker build -t strata .
#   docker save myapp:1 | docker run --rm -i strata analyze -
#   docker run --rm -v "$PWD:/work" strata ci /work/myapp.tar       # .strata.yaml read from /work
#
# Scripts/image.sh builds this file with buildah from local Debian roots (made by mmdebstrap) given
# as SWIFT_IMAGE and RUNTIME_IMAGE, then gates the image with strata itself.
ARG SWIFT_IMAGE=swift:6.2-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# The C libraries' static archives: the binary links them in, so the runtime stage needs none.
# dpkg-dev and OpenSSL's archives for the minimal libcurl built from Debian's source.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      pkg-config libarchive-dev libjansson-dev libxxhash-dev libyaml-dev \
      zlib1g-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev libssl-dev dpkg-dev debian-archive-keyring >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# libcurl with HTTP(S), OpenSSL and zlib only, in a layer of its own (it changes with its script only).
ENV STRATA_CACHE=/opt/strata-cache
COPY Scripts/release/libcurl.sh Scripts/release/libcurl.sh
RUN Scripts/release/libcurl.sh / >/dev/null
# What the build reads (SwiftPM wants every target's folder, tests included); docs and other
# scripts stay out, so editing them does not invalidate this stage.
COPY Package.swift ./
COPY Sources Sources
COPY Tests Tests
COPY Scripts/release Scripts/release
COPY Scripts/link Scripts/link
# The commit `strata --version` prints (a .git directory is not sent to the build).
ARG STRATA_COMMIT=unknown
RUN STRATA_SYSROOT=/ STRATA_COMMIT="$STRATA_COMMIT" Scripts/release/portable-build.sh > /tmp/binary \
 && install -D -m 755 "$(cat /tmp/binary)" /out/usr/local/bin/strata \
 && strip /out/usr/local/bin/strata

FROM ${RUNTIME_IMAGE}
RUN if ! [ -f /etc/ssl/certs/ca-certificates.crt ]; then \
      apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --uid 10001 --create-home --home-dir /home/strata --shell /usr/sbin/nologin strata
COPY --from=build /out/ /
USER strata
WORKDIR /work
ENTRYPOINT ["strata"]
CMD ["--help"]
