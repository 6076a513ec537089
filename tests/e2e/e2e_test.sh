#!/usr/bin/env bash
# End-to-end tests of the container image: real containers from the image the e2e.image fixture built
# (scripts/image). One scenario per call:  e2e_test.sh SCENARIO
#   image_config the image's configuration (user, entrypoint, ports, labels, no ZOO_* env, links) and its
#               HEALTHCHECK, which --no-healthcheck turns off
#   ensemble    three members configured as examples/docker-compose.yml on a network of this run: all ready,
#               one leader, a znode written in one member read in another, PID 1 zkagent and the JVM uid
#               1000; docker stop on the leader exits 143 within seconds, the other two elect a new leader
#   tutorial    the Kubernetes tutorial's start-zookeeper command and zookeeper-ready probe
#   exec        --exec: PID 1 is the JVM, uid 1000
#   bad_setting ZOO_TICK_TIME=abc exits 2, the log names the variable, no JVM started
#   root_bind   started as root with a root-owned bind-mounted data folder: the member runs as uid 1000
#   read_only   a read-only root filesystem with tmpfs /conf /logs /tmp and volumes for /data /datalog
#   upstream    the image built with an upstream-style ZooKeeper folder (scripts/image --zookeeper-home)
#   cleanup     removes what any scenario of this build folder left behind (the fixture's cleanup)
# Environment: ZKAGENT_E2E_IMAGE (the image), ZKAGENT_BINARY (for the upstream build), ZKAGENT_E2E_BUILD
# (a label value naming this build folder). Traffic stays inside containers: single members run with
# --network none, the ensemble on an internal network this run creates. Everything the run creates
# carries its labels and is removed on exit, also on failure. No engine: the test fails and says why.
set -euo pipefail

scenario=${1:?usage: e2e_test.sh SCENARIO}
image=${ZKAGENT_E2E_IMAGE:?ZKAGENT_E2E_IMAGE names the image under test}
build_label=${ZKAGENT_E2E_BUILD:-unknown}
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
run=zke2e-$scenario-$$-$(date +%s)
started=$SECONDS
labels=(--label "zkagent.e2e.run=$run" --label "zkagent.e2e.build=$build_label")
tmp=$(mktemp -d)
extra_images=()

say() { echo "e2e[$scenario]: $*"; }
fail() { echo "e2e[$scenario]: FAIL: $*" >&2; exit 1; }

remove_labelled() { # $1: a label filter; every container, network and volume carrying it
  local ids
  mapfile -t ids < <(docker ps -aq --filter "label=$1")
  ((${#ids[@]} == 0)) || docker rm -f -v "${ids[@]}" >/dev/null 2>&1 || true
  mapfile -t ids < <(docker network ls -q --filter "label=$1")
  ((${#ids[@]} == 0)) || docker network rm "${ids[@]}" >/dev/null 2>&1 || true
  mapfile -t ids < <(docker volume ls -q --filter "label=$1")
  ((${#ids[@]} == 0)) || docker volume rm -f "${ids[@]}" >/dev/null 2>&1 || true
}

cleanup() {
  local status=$?
  if ((status != 0)); then
    for c in $(docker ps -aq --filter "label=zkagent.e2e.run=$run" 2>/dev/null); do
      echo "--- last lines of $(docker inspect -f '{{.Name}}' "$c") ($(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c")):" >&2
      docker logs --tail 25 "$c" 2>&1 | sed 's/^/    /' >&2
    done
  fi
  remove_labelled "zkagent.e2e.run=$run"
  ((${#extra_images[@]} == 0)) || docker image rm -f "${extra_images[@]}" >/dev/null 2>&1 || true
  rm -rf "$tmp"
  say "$( ((status == 0)) && echo passed || echo failed) in $((SECONDS - started)) s"
  exit "$status"
}

if [[ $scenario == cleanup ]]; then
  docker info >/dev/null 2>&1 || { echo "e2e[cleanup]: no container engine: nothing to clean"; exit 0; }
  remove_labelled "zkagent.e2e.build=$build_label"
  for ref in $(docker image ls --format '{{.Repository}}:{{.Tag}}' 'zkagent-e2e-upstream'); do
    docker image rm -f "$ref" >/dev/null 2>&1 || true
  done
  exit 0
fi

if ! engine_error=$(docker info 2>&1 >/dev/null); then
  fail "no container engine answers 'docker info', so the image cannot be tested: ${engine_error:-no output}
  (scripts/image starts dockerd when it can: see the e2e.image test's output and .cache/engine/dockerd.log)"
fi
docker image inspect "$image" >/dev/null 2>&1 || fail "no image $image: the e2e.image fixture (scripts/image) did not build it"
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# --- helpers ------------------------------------------------------------------------------------------

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.5 s until it succeeds, else fails naming WHAT.
wait_until() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what: not within $limit s"
    sleep 0.5
  done
}

start() { # start NAME DOCKER-RUN-ARGS... -- ZKAGENT-ARGS...: a detached container named $run-NAME
  local name=$1
  shift
  local opts=()
  while (($#)) && [[ $1 != -- ]]; do opts+=("$1"); shift; done
  (($#)) && shift
  docker run -d --name "$run-$name" "${labels[@]}" "${opts[@]}" "$image" "$@" >/dev/null
}

ready() { docker exec "$run-$1" zkagent ready >/dev/null 2>&1; }
mode() { docker exec "$run-$1" zkagent status 2>/dev/null | sed -n 's/^Mode: //p'; }
wait_ready() { # NAME [SECONDS]: until `zkagent ready` passes in NAME; fails at once when NAME exits
  local deadline=$((SECONDS + ${2:-90}))
  until ready "$1"; do
    running "$1" || fail "$1 exited with status $(exit_code "$1") before it was ready"
    ((SECONDS < deadline)) || fail "$1 is not ready within ${2:-90} s: $(docker exec "$run-$1" zkagent ready 2>&1)"
    sleep 0.5
  done
}

# The pid (inside the container) of the process whose comm is $2.
pid_of() {
  docker exec "$run-$1" sh -c "for p in /proc/[0-9]*; do [ \"\$(cat \$p/comm 2>/dev/null)\" = '$2' ] && echo \${p#/proc/}; done; true" | head -n 1
}
uid_of() { docker exec "$run-$1" sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$2/status"; }
comm_of() { docker exec "$run-$1" cat "/proc/$2/comm"; }

expect_pid1_and_jvm_uid() { # NAME PID1-COMM: PID 1 runs PID1-COMM; the JVM runs as uid 1000
  local name=$1 expected=$2 pid1 java uid
  pid1=$(comm_of "$name" 1)
  [[ $pid1 == "$expected" ]] || fail "$name: PID 1 is '$pid1', expected $expected"
  java=$(pid_of "$name" java)
  [[ -n $java ]] || fail "$name: no java process"
  uid=$(uid_of "$name" "$java")
  [[ $uid == 1000 ]] || fail "$name: the JVM (pid $java) runs as uid '$uid', expected 1000"
  say "$name: PID 1 is $pid1, the JVM (pid $java) runs as uid $uid"
}

exit_code() { docker inspect -f '{{.State.ExitCode}}' "$run-$1"; }
running() { [[ $(docker inspect -f '{{.State.Running}}' "$run-$1") == true ]]; }
exited() { [[ $(docker inspect -f '{{.State.Running}}' "$run-$1") == false ]]; }
healthy() { [[ $(docker inspect -f '{{.State.Health.Status}}' "$run-$1") == healthy ]]; }

zk_cli() { # NAME COMMAND: the C client inside container NAME against its own member; output on stdout
  docker exec "$run-$1" cli_mt -h 127.0.0.1:2181 -c "$2" 2>&1
}
reads() { zk_cli "$1" "get $2" | grep -qx "$3"; } # NAME PATH DATA: the member serves PATH holding DATA

# --- scenarios ----------------------------------------------------------------------------------------

scenario_image_config() {
  local version env user entrypoint ports health
  version=$(sed -nE 's/^project\(zkagent VERSION ([0-9.]+).*/\1/p' "$source_dir/CMakeLists.txt")
  user=$(docker image inspect -f '{{.Config.User}}' "$image")
  [[ $user == 1000:1000 ]] || fail "the image runs as '$user', expected 1000:1000"
  entrypoint=$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image")
  [[ $entrypoint == '["zkagent","start"]' ]] || fail "ENTRYPOINT is $entrypoint"
  env=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$image")
  if grep -q '^ZOO_' <<<"$env"; then fail "the image sets ZOO_* defaults: $(grep '^ZOO_' <<<"$env" | tr '\n' ' ')"; fi
  ports=$(docker image inspect -f '{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}' "$image")
  for p in 2181 2888 3888 8080 8081; do
    [[ " $ports" == *" $p/tcp "* ]] || fail "port $p is not exposed (exposed: $ports)"
  done
  [[ $(docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$image") == "$version" ]] ||
    fail "the OCI version label is not $version"
  health=$(docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$image")
  [[ $health == '["CMD","zkagent","live"]' ]] || fail "HEALTHCHECK is $health"
  # The version through the entrypoint and through both links; the folders belong to uid 1000.
  [[ $(docker run --rm "${labels[@]}" --network none "$image" --version) == "zkagent $version" ]] ||
    fail "docker run IMAGE --version does not print zkagent $version"
  for link in start-zookeeper zookeeper-ready; do
    [[ $(docker run --rm "${labels[@]}" --network none --entrypoint sh "$image" -c "command -v $link && readlink \$(command -v $link)") == "/usr/local/bin/$link"$'\n'zkagent ]] ||
      fail "$link is not a link to zkagent on PATH"
  done
  [[ $(docker run --rm "${labels[@]}" --network none --entrypoint stat "$image" -c '%u:%g %n' /data /datalog /conf /logs | tr '\n' ' ') == \
     "1000:1000 /data 1000:1000 /datalog 1000:1000 /conf 1000:1000 /logs " ]] || fail "/data /datalog /conf /logs are not owned by 1000:1000"
  say "config: user 1000:1000, ENTRYPOINT zkagent start, ports $ports, no ZOO_* env, links, folders"

  # The HEALTHCHECK with a short interval becomes healthy; --no-healthcheck has none.
  start health --network none --health-interval=1s --health-start-period=60s
  wait_until 90 "the HEALTHCHECK reports healthy" healthy health
  start nohealth --network none --no-healthcheck
  [[ $(docker inspect -f '{{if .State.Health}}has health{{else}}none{{end}}' "$run-nohealth") == none ]] ||
    fail "--no-healthcheck still runs a health check"
  say "HEALTHCHECK: healthy with zkagent live; none with --no-healthcheck"
}

scenario_ensemble() {
  local compose=$source_dir/examples/docker-compose.yml members=() leader followers=() t0 t1 ms code data
  # The compose file is valid, and each member is run as it describes: host name, service name on the
  # network, environment (ZOO_MY_ID, ZOO_SERVERS). Ports are not published: the test stays inside.
  if command -v docker-compose >/dev/null; then
    docker-compose -f "$compose" config -q || fail "docker-compose config rejects $compose"
  else
    fail "docker-compose is not installed (scripts/install-deps installs it)"
  fi
  docker network create --internal "${labels[@]}" "$run" >/dev/null
  while IFS=$'\t' read -r service hostname env; do
    local env_args=()
    for kv in $env; do env_args+=(-e "${kv//%20/ }"); done
    members+=("$service")
    start "$service" --network "$run" --network-alias "$service" --hostname "$hostname" --memory 512m "${env_args[@]}"
  done < <(/usr/bin/python3 - "$compose" <<'EOF'
import sys, yaml
for name, svc in yaml.safe_load(open(sys.argv[1]))["services"].items():
    env = svc.get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    print(name, svc.get("hostname", name), " ".join(f"{k}={str(v).replace(' ', '%20')}" for k, v in env.items()), sep="\t")
EOF
  )
  ((${#members[@]} == 3)) || fail "expected three services in $compose, found ${#members[@]}"
  say "started ${members[*]} as in $(basename "$compose") on network $run"

  for m in "${members[@]}"; do wait_ready "$m" 120; done
  leader=$(leader_of "${members[@]}")
  for m in "${members[@]}"; do [[ $m == "$leader" ]] || followers+=("$m"); done
  say "all ready; leader ${leader}, followers ${followers[*]}"
  for m in "${members[@]}"; do expect_pid1_and_jvm_uid "$m" zkagent; done

  # A client in one member writes, another member reads.
  data="written-in-${followers[0]}-$$"
  [[ $(zk_cli "${followers[0]}" "create /zkagent-e2e") == *"rc = 0"* ]] || fail "create /zkagent-e2e in ${followers[0]} failed"
  [[ $(zk_cli "${followers[0]}" "set /zkagent-e2e $data") == *"rc = 0"* ]] || fail "set /zkagent-e2e in ${followers[0]} failed"
  wait_until 20 "$leader reads /zkagent-e2e = $data" reads "$leader" /zkagent-e2e "$data"
  say "/zkagent-e2e written in ${followers[0]}, read in $leader"

  # docker stop on the leader: SIGTERM reaches the JVM, exit 143 within seconds, no kill after the grace period.
  t0=$(date +%s%N)
  docker stop -t 20 "$run-$leader" >/dev/null
  t1=$(date +%s%N)
  ms=$(((t1 - t0) / 1000000))
  code=$(exit_code "$leader")
  [[ $code == 143 ]] || fail "docker stop $leader: exit status $code, expected 143 (SIGTERM passed to the JVM)"
  ((ms < 5000)) || fail "docker stop $leader took $ms ms (expected a few seconds, not the 20 s grace period)"
  say "docker stop $leader: exit 143 in $ms ms"

  wait_until 60 "one new leader among ${followers[*]}" leader_of "${followers[@]}"
  for m in "${followers[@]}"; do wait_ready "$m" 30; done
  leader=$(leader_of "${followers[@]}")
  for m in "${followers[@]}"; do running "$m" || fail "$m stopped"; done
  wait_until 20 "$leader reads /zkagent-e2e after the re-election" reads "$leader" /zkagent-e2e "$data"
  say "new leader $leader; ${followers[*]} ready and serving the znode"
}

leader_of() { # the one member reporting Mode: leader; fails unless there is exactly one
  local m leaders=()
  for m in "$@"; do [[ $(mode "$m") == leader ]] && leaders+=("$m"); done
  ((${#leaders[@]} == 1)) || { echo "leaders: ${leaders[*]:-none}" >&2; return 1; }
  echo "${leaders[0]}"
}

scenario_exec() {
  start zk --network none -- --exec
  wait_ready zk
  expect_pid1_and_jvm_uid zk java
  [[ $(pid_of zk zkagent) == "" ]] || fail "zkagent still runs beside the JVM with --exec"
  local t0 ms
  t0=$(date +%s%N)
  docker stop -t 20 "$run-zk" >/dev/null
  ms=$((($(date +%s%N) - t0) / 1000000))
  [[ $(exit_code zk) == 143 ]] || fail "docker stop: exit status $(exit_code zk), expected 143"
  ((ms < 5000)) || fail "docker stop took $ms ms"
  say "--exec: JVM is PID 1; docker stop: exit 143 in $ms ms"
}

scenario_tutorial() {
  # The Kubernetes tutorial's command through the start-zookeeper link, its flags unchanged but
  # --servers=1 (one container) and a smaller heap; its probe is `zookeeper-ready 2181`.
  start zk-0 --network none --hostname zk-0 --entrypoint start-zookeeper -- \
    --servers=1 --data_dir=/var/lib/zookeeper/data --data_log_dir=/var/lib/zookeeper/data/log \
    --conf_dir=/opt/zookeeper/conf --client_port=2181 --election_port=3888 --server_port=2888 \
    --tick_time=2000 --init_limit=10 --sync_limit=5 --heap=256M --max_client_cnxns=60 --snap_retain_count=3 \
    --purge_interval=12 --max_session_timeout=40000 --min_session_timeout=4000 --log_level=INFO
  wait_ready zk-0
  docker exec "$run-zk-0" zookeeper-ready 2181 >/dev/null || fail "zookeeper-ready 2181 fails on a ready member"
  [[ $(docker exec "$run-zk-0" cat /var/lib/zookeeper/data/myid) == 1 ]] || fail "no myid 1 in /var/lib/zookeeper/data"
  docker exec "$run-zk-0" grep -qx 'autopurge.purgeInterval=12' /opt/zookeeper/conf/zoo.cfg ||
    fail "/opt/zookeeper/conf/zoo.cfg lacks autopurge.purgeInterval=12"
  expect_pid1_and_jvm_uid zk-0 start-zookeeper # zkagent under the link's name
  [[ $(docker exec "$run-zk-0" readlink /proc/1/exe) == /usr/local/bin/zkagent ]] || fail "PID 1 is not zkagent"
  say "the tutorial's start-zookeeper command serves; zookeeper-ready 2181 passes"
}

scenario_bad_setting() {
  local code logs
  start bad --network none -e ZOO_TICK_TIME=abc
  wait_until 30 "the container with ZOO_TICK_TIME=abc exits" exited bad
  code=$(exit_code bad)
  logs=$(docker logs "$run-bad" 2>&1)
  [[ $code == 2 ]] || fail "ZOO_TICK_TIME=abc: exit status $code, expected 2; log: $logs"
  grep -q 'ZOO_TICK_TIME' <<<"$logs" || fail "the log does not name ZOO_TICK_TIME: $logs"
  # No JVM: zkagent says when it starts ZooKeeper, and ZooKeeper's first log line reads the config.
  if grep -qE 'starting ZooKeeper|QuorumPeerConfig|QuorumPeerMain' <<<"$logs"; then
    fail "a JVM was started despite the bad setting: $logs"
  fi
  say "exit 2, the log names the variable: $(grep -m1 ZOO_TICK_TIME <<<"$logs")"
}

scenario_root_bind() {
  local data=$tmp/data owner
  mkdir -m 0700 "$data"
  [[ $(stat -c %u "$data") == 0 ]] || fail "the test needs root to make a root-owned folder"
  start root --network none --user 0 -v "$data:/data"
  wait_ready root
  expect_pid1_and_jvm_uid root zkagent
  owner=$(stat -c %u:%g "$data")
  [[ $owner == 1000:1000 ]] || fail "the bind-mounted data folder is owned by $owner, expected 1000:1000"
  [[ -f $data/myid || -d $data/version-2 ]] || fail "nothing was written to the bind-mounted data folder"
  say "started as root: the folder now belongs to 1000:1000, the JVM runs as uid 1000 and serves"
}

scenario_read_only() {
  # tmpfs mounts are root's (mode 755) unless told otherwise: uid 1000 must write /conf and /logs.
  start ro --network none --read-only \
    --tmpfs /conf:uid=1000,gid=1000 --tmpfs /logs:uid=1000,gid=1000 --tmpfs /tmp:mode=1777 \
    --mount "type=volume,source=$run-data,target=/data,volume-label=zkagent.e2e.run=$run,volume-label=zkagent.e2e.build=$build_label" \
    --mount "type=volume,source=$run-datalog,target=/datalog,volume-label=zkagent.e2e.run=$run,volume-label=zkagent.e2e.build=$build_label"
  wait_ready ro
  docker exec "$run-ro" test -s /conf/zoo.cfg || fail "no /conf/zoo.cfg"
  if docker exec "$run-ro" touch /usr/local/bin/probe 2>/dev/null; then fail "the root filesystem is writable"; fi
  [[ $(zk_cli ro "create /read-only-root") == *"rc = 0"* ]] || fail "create /read-only-root failed"
  docker exec "$run-ro" sh -c 'ls /datalog/version-2/log.* >/dev/null' || fail "no transaction log in the /datalog volume"
  docker stop -t 20 "$run-ro" >/dev/null
  [[ $(exit_code ro) == 143 ]] || fail "docker stop: exit status $(exit_code ro), expected 143"
  say "read-only root with tmpfs /conf /logs /tmp and volumes /data /datalog: serves, stops with 143"
}

scenario_upstream() {
  local variant=zkagent-e2e-upstream:$run logs
  [[ -x ${ZKAGENT_BINARY:-} ]] || fail "ZKAGENT_BINARY does not name the zkagent binary"
  bash "$source_dir/tests/integration/make_upstream_home.sh" "$tmp/zookeeper-home" >/dev/null ||
    fail "make_upstream_home.sh failed (it needs Debian's zookeeper, liblogback-java, zip, unzip)"
  extra_images+=("$variant")
  "$source_dir/scripts/image" --binary "$ZKAGENT_BINARY" --zookeeper-home "$tmp/zookeeper-home" --tag "$variant" \
    >"$tmp/build.log" 2>&1 || { tail -n 30 "$tmp/build.log" >&2; fail "scripts/image --zookeeper-home failed"; }
  image=$variant
  start up --network none
  wait_ready up
  logs=$(docker logs "$run-up" 2>&1)
  grep -q '(upstream)' <<<"$logs" || fail "zkagent did not start the upstream layout: $(grep -m1 'starting ZooKeeper' <<<"$logs")"
  [[ $(docker exec "$run-up" printenv ZOOKEEPER_HOME) == /opt/zookeeper ]] || fail "ZOOKEEPER_HOME is not /opt/zookeeper"
  say "upstream folder: $(grep -m1 -o 'starting ZooKeeper.*' <<<"$logs")"
}

case $scenario in
  image_config|ensemble|tutorial|exec|bad_setting|root_bind|read_only|upstream) "scenario_$scenario" ;;
  *) fail "unknown scenario '$scenario'" ;;
esac
