#!/bin/bash
# The readiness/liveness probe as ZooKeeper images ship it (the tutorial image's zookeeper-ready and
# its copies): one `echo ruok | nc`, compared with imok. Kept as such, for scripts/bench to measure.
# Usage: shell_probe.sh PORT
OK=$(echo ruok | nc 127.0.0.1 "$1")
if [ "$OK" == "imok" ]; then
  exit 0
else
  exit 1
fi
