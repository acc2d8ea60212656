# Fenrir: a drop-in replacement for Grafana Loki 2.9 (same config, same API,
# port 3100, /ready, /metrics).
#
#   docker build -t fenrir .
#   docker run -p 3100:3100 -v fenrir-data:/loki fenrir
#   docker run -p 3100:3100 -v $PWD/loki.yaml:/etc/loki/loki.yaml:ro fenrir
#
# The default config is the plan's Loki config (k8s/monitoring/loki/configmap.yaml),
# so the image behaves the same under `docker run` as in the cluster. Data lives
# in /loki, that config's path_prefix. Needs BuildKit (the default builder).

ARG BUILD_IMAGE=debian:12
ARG RUNTIME_IMAGE=debian:12-slim

# ---------------------------------------------------------------- build
FROM ${BUILD_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake ninja-build g++ pkg-config \
      librocksdb-dev libzstd-dev libboost-dev libboost-system-dev libre2-dev \
      nlohmann-json3-dev prometheus-cpp-dev libsnappy-dev libprotobuf-dev \
      protobuf-compiler libyaml-cpp-dev zlib1g-dev libxxhash-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DFENRIR_TESTS=OFF -DFENRIR_BENCH=OFF \
 && ninja -C build fenrir \
 && strip build/fenrir
# The default config: the `loki.yaml` block of the Loki ConfigMap, unindented.
RUN mkdir -p /out \
 && sed -n '/^  loki.yaml: |$/,$ { /^  loki.yaml: |$/d; s/^    //; p; }' k8s/monitoring/loki/configmap.yaml > /out/loki.yaml \
 && grep -q '^  http_listen_port: 3100' /out/loki.yaml

# ---------------------------------------------------------------- runtime
FROM ${RUNTIME_IMAGE}
# Shared libraries only: the runtime halves of the -dev packages above
# (Boost.Beast and nlohmann/json are header-only).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates tzdata \
      librocksdb7.8 libzstd1 libboost-system1.74.0 libre2-9 libprometheus-cpp-core1.0 \
      libsnappy1v5 libprotobuf32 libyaml-cpp0.7 zlib1g libxxhash0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 fenrir \
 && useradd --system --uid 10001 --gid fenrir --home-dir /loki --shell /usr/sbin/nologin fenrir \
 && mkdir -p /loki /etc/loki \
 && chown fenrir:fenrir /loki

COPY --from=build /src/build/fenrir /usr/local/bin/fenrir
COPY --from=build /out/loki.yaml /etc/loki/loki.yaml
# Fail the build, not the first start, when a runtime library is missing.
RUN if ldd /usr/local/bin/fenrir | grep 'not found'; then exit 1; fi

USER 10001:10001
WORKDIR /loki
VOLUME ["/loki"]
EXPOSE 3100
# Same flag as Loki: in Kubernetes, `args: [-config.file=...]` replaces CMD.
ENTRYPOINT ["/usr/local/bin/fenrir"]
CMD ["-config.file=/etc/loki/loki.yaml"]
