# zkagent's container image: Apache ZooKeeper started, configured and supervised by zkagent as PID 1.
#
#   scripts/image                      builds it here (a local Debian base, the engine, the build)
#   docker build -t zkagent .          elsewhere, with BuildKit (stages not asked for are skipped)
#
# Build arguments:
#   BASE_IMAGE          Debian bookworm image every stage starts from (scripts/image passes the local
#                       debootstrap base zkagent-base:bookworm; no registry is needed then)
#   ZKAGENT_FROM        source: compile zkagent and run its unit tests in the build stage (default)
#                       prebuilt: take the static binary at ZKAGENT_BINARY from the build context
#                       (CI passes the one scripts/test already built, so zkagent is compiled once)
#   ZKAGENT_BINARY      path of that binary inside the context (default build/cli/zkagent)
#   ZOOKEEPER_DIST      debian: Debian's ZooKeeper 3.8 jars (default)
#                       upstream: an upstream release folder (bin/, lib/*.jar) from the context,
#                       installed as /opt/zookeeper with ZOOKEEPER_HOME pointing at it
#   ZOOKEEPER_HOME_DIR  that folder inside the context (default zookeeper-home)
#   ZKAGENT_HEALTHCHECK on: HEALTHCHECK runs `zkagent live` (default); off: no HEALTHCHECK
#   ZKAGENT_VERSION, ZKAGENT_REVISION  OCI label values (scripts/image passes them)
#
# The image sets no ZOO_* variable: zkagent's own defaults apply, as `zkagent start` or, through the
# start-zookeeper link, with the tutorial script's defaults.

ARG BASE_IMAGE=debian:bookworm-slim
ARG ZKAGENT_FROM=source
ARG ZOOKEEPER_DIST=debian
ARG ZKAGENT_HEALTHCHECK=on

# --- a headless Java 17: the runtime's, and the build's (a unit test reads Debian's ZooKeeper jars) ---
FROM ${BASE_IMAGE} AS java
# The man1 folder: openjdk's postinst registers man pages there even when a slim base drops them.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

# --- zkagent, compiled here: Debian's packages, a static binary, its unit tests ---------------------
FROM java AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake g++ make lld libboost-program-options-dev libboost-dev libspdlog-dev libfmt-dev libgtest-dev libc-ares-dev \
      nlohmann-json3-dev \
      libzookeeper-java \
 && rm -rf /var/lib/apt/lists/*
# libzookeeper-java: a unit test looks at Debian's real /usr/share/java. lld: the probe layout
# (cmake/probe_layout.cmake); the Release build links zkagent stripped, the artefact copied below.
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DZKAGENT_BUILD_TESTS=ON >/dev/null \
 && cmake --build /build -j "$(nproc)" --target zkagent unit_tests \
 && ctest --test-dir /build -L '^unit$' --no-tests=error --output-on-failure -j "$(nproc)" \
 && /build/cli/zkagent --version

FROM scratch AS zkagent-source
COPY --from=build /build/cli/zkagent /zkagent

# --- zkagent, prebuilt: the static binary from the context -----------------------------------------
FROM scratch AS zkagent-prebuilt
ARG ZKAGENT_BINARY=build/cli/zkagent
COPY ${ZKAGENT_BINARY} /zkagent

FROM zkagent-${ZKAGENT_FROM} AS zkagent

# --- the runtime: ZooKeeper, zkagent, the user and the folders -------------------------------------
# Debian's ZooKeeper: the jars of libzookeeper-java (what the zookeeper package runs, without its
# init scripts and full JRE) and zookeeper-bin, the C command-line client cli_mt.
FROM java AS zookeeper-debian
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libzookeeper-java zookeeper-bin \
 && ln -s /usr/lib/zookeeper/bin/cli_mt /usr/local/bin/cli_mt \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

# An upstream release folder (apache-zookeeper-X.Y.Z-bin, or anything with lib/zookeeper-X.Y.Z.jar).
FROM java AS zookeeper-upstream
ARG ZOOKEEPER_HOME_DIR=zookeeper-home
COPY ${ZOOKEEPER_HOME_DIR} /opt/zookeeper
ENV ZOOKEEPER_HOME=/opt/zookeeper

FROM zookeeper-${ZOOKEEPER_DIST} AS runtime
ARG BASE_IMAGE
ARG ZKAGENT_VERSION=unknown
ARG ZKAGENT_REVISION=unknown
COPY --from=zkagent /zkagent /usr/local/bin/zkagent
# uid/gid 1000 as in the tutorial image. The folders: zkagent's and the official image's defaults, and
# the tutorial's (start-zookeeper's defaults and its StatefulSet's flags), so its command works unchanged.
RUN groupadd --gid 1000 zookeeper \
 && useradd --uid 1000 --gid 1000 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin zookeeper \
 && mkdir -p /data /datalog /conf /logs /var/lib/zookeeper/data /var/lib/zookeeper/log /var/log/zookeeper \
      /opt/zookeeper/conf \
 && chown 1000:1000 /data /datalog /conf /logs /var/lib/zookeeper /var/lib/zookeeper/data \
      /var/lib/zookeeper/log /var/log/zookeeper /opt/zookeeper/conf \
 && ln -s zkagent /usr/local/bin/start-zookeeper \
 && ln -s zkagent /usr/local/bin/zookeeper-ready \
 && zkagent --version
LABEL org.opencontainers.image.title="zkagent" \
      org.opencontainers.image.description="Apache ZooKeeper configured, started and supervised by zkagent (PID 1, probes, the official image's environment and the tutorial's start-zookeeper flags)" \
      org.opencontainers.image.version="${ZKAGENT_VERSION}" \
      org.opencontainers.image.revision="${ZKAGENT_REVISION}" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
# Data, transaction log, configuration (zkagent writes it on every start) and ZooKeeper's log folder.
VOLUME ["/data", "/datalog"]
USER 1000:1000
# client, quorum, leader election, AdminServer, and zkagent's health endpoint (--health-port=8081, as the
# Helm chart and the README use it; off unless asked for)
EXPOSE 2181 2888 3888 8080 8081
ENTRYPOINT ["zkagent", "start"]

FROM runtime AS healthcheck-on
# Liveness only (ruok): a member without quorum is alive. The port comes from the same environment as
# start (ZOO_CLIENT_PORT, this member's ZOO_SERVERS entry), else 2181. Off: docker run --no-healthcheck.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["zkagent", "live"]

FROM runtime AS healthcheck-off
HEALTHCHECK NONE

FROM healthcheck-${ZKAGENT_HEALTHCHECK}
