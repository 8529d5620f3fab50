#!/bin/sh
# The `salmon` command inside the worker image (deploy/Dockerfile): the repository's ./salmon without
# the rebuild step. The JVM sizes its heap from the container's memory limit.
set -eu
exec java ${SALMON_JAVA_OPTS:--XX:MaxRAMPercentage=75} -Doffline=true -Dai.djl.offline=true \
  -cp "/opt/salmon/salmon.jar:/opt/salmon/lib/*" salmonrun.worker.SalmonCli "$@"
