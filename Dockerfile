# Rampart: the command line and the server in one image.
#
#   ./mvnw -B -ntp -pl cli -am package -DskipTests      # builds cli/target/rampart.jar
#   docker build -t rampart .
#   docker run --rm -v "$PWD:/work:ro" rampart scan /work/model               # the CLI
#   docker run -d -p 127.0.0.1:8080:8080 --read-only --tmpfs /tmp:exec -v rampart-data:/data rampart   # the server
#
# The base is pinned to one Temurin 21 JRE release; the root filesystem can be read-only: the server writes only
# to the /data volume and to /tmp, where the embedded PostgreSQL unpacks the binaries it runs (so /tmp allows exec).
FROM eclipse-temurin:21.0.8_9-jre-noble

ARG RAMPART_UID=10001
RUN groupadd --system --gid "${RAMPART_UID}" rampart \
 && useradd --system --uid "${RAMPART_UID}" --gid rampart --home-dir /data --no-create-home --shell /usr/sbin/nologin rampart \
 && mkdir -p /data /opt/rampart \
 && chown rampart:rampart /data \
 && chmod 0750 /data

# Owned by root and read-only to the user that runs it: the process cannot replace its own code.
COPY --chown=root:root --chmod=0444 cli/target/rampart.jar /opt/rampart/rampart.jar
# DuckDB and ONNX Runtime stay separate jars on the fat jar's Class-Path (lib/ next to it)
COPY --chown=root:root --chmod=0444 cli/target/lib/duckdb_jdbc.jar cli/target/lib/onnxruntime.jar /opt/rampart/lib/

ENV RAMPART_DATA_DIR=/data/server \
    RAMPART_BIND=0.0.0.0 \
    RAMPART_PORT=8080

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# Asks the server on this host for /api/v1/health (HTTPS pinned to RAMPART_TLS_CERT when the server serves TLS).
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-cp", "/opt/rampart/rampart.jar", "dev.rampart.cli.HealthCheck"]

ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/rampart/rampart.jar"]
CMD ["server"]
