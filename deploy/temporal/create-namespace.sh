#!/bin/sh
# One-shot: wait until the Temporal frontend answers, then make sure the namespace workers use exists.
set -eu
address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${SALMON_TEMPORAL_NAMESPACE:-default}"

tries=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "salmon-run: Temporal at $address is still not healthy after 120 s" >&2
    exit 1
  fi
  sleep 2
done

if temporal operator namespace describe --address "$address" -n "$namespace" >/dev/null 2>&1; then
  echo "salmon-run: namespace $namespace exists"
else
  temporal operator namespace create --address "$address" -n "$namespace" --retention 720h
  echo "salmon-run: namespace $namespace created"
fi
