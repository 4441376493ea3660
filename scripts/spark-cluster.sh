#!/usr/bin/env bash
# A Spark standalone master and one worker on 127.0.0.1, for trying `scripts/spark-submit.sh` on one
# machine. Spark comes from Maven jars (scripts/spark-dist/pom.xml), laid out as a SPARK_HOME whose
# jars/ are links into ~/.m2: the worker starts executors with the classpath $SPARK_HOME/jars/*.
#
#   scripts/spark-cluster.sh start  [--port 7077] [--webui-port 8080] [--worker-webui-port 8081]
#                                   [--cores 2] [--memory 4g] [--run-dir .spark]
#   scripts/spark-cluster.sh status [--run-dir .spark]
#   scripts/spark-cluster.sh stop   [--run-dir .spark]
#
# The run folder holds master.pid, worker.pid, the logs, the worker's work/ (executor stdout/stderr)
# and cluster.env (the ports). `stop` ends only the processes named in its own pid files (and the
# executors those started). Exit codes: 0 ok, 2 bad arguments, 1 failed, 3 (status) not running.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/spark-jvm.sh
source "$root/scripts/lib/spark-jvm.sh"

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "spark-cluster: $*" >&2; exit 2; }

cmd="${1:-}"; [[ $# -gt 0 ]] && shift
port=7077 webui=8080 worker_webui=8081 cores=2 memory=4g run_dir="$root/.spark"
home="${AHA_SPARK_HOME:-$root/.spark/home}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="${2:?}"; shift 2 ;;
    --webui-port) webui="${2:?}"; shift 2 ;;
    --worker-webui-port) worker_webui="${2:?}"; shift 2 ;;
    --cores) cores="${2:?}"; shift 2 ;;
    --memory) memory="${2:?}"; shift 2 ;;
    --run-dir) run_dir="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for n in "$port" "$webui" "$worker_webui" "$cores"; do [[ $n =~ ^[0-9]+$ ]] || die "ports and --cores must be numbers, got '$n'"; done
[[ $memory =~ ^[0-9]+[mMgG]$ ]] || die "--memory must look like 4g or 512m, got '$memory'"
[[ $cmd == start ]] && mkdir -p "$run_dir"
[[ -d $run_dir ]] && run_dir="$(cd "$run_dir" && pwd)"

export SPARK_HOME="$home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.12

# SPARK_HOME/jars as links to the Maven jars; rebuilt when the pom changes. flock: two runs at once
# (parallel tests) must not lay it out together.
layout_home() {
  local pom="$root/scripts/spark-dist/pom.xml"
  mkdir -p "$(dirname "$home")"
  exec 9>"$home.lock"
  flock 9
  if [[ ! -f $home/classpath.txt || $pom -nt $home/classpath.txt ]]; then
    echo "spark-cluster: laying out $home from Maven jars ..." >&2
    local tmp="$home.tmp.$$"
    rm -rf "$tmp"; mkdir -p "$tmp/jars" "$tmp/conf"
    mvn -B -q -ntp -f "$pom" dependency:build-classpath -Dmdep.outputFile="$tmp/classpath.txt" -DincludeScope=runtime >&2
    tr ':' '\n' < "$tmp/classpath.txt" | while read -r j; do [[ -n $j ]] && ln -s "$j" "$tmp/jars/"; done
    cp "$root/pipelines/src/main/resources/log4j2.properties" "$tmp/conf/"
    rm -rf "$home"; mv "$tmp" "$home"
  fi
  flock -u 9
}

# a pid from our pid file that is still a Spark daemon (guards against a reused pid)
live_pid() {
  local f="$run_dir/$1.pid" pid
  [[ -f $f ]] || return 1
  pid="$(cat "$f")"
  [[ -r /proc/$pid/cmdline ]] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ $cmdline == *org.apache.spark.deploy* ]] && echo "$pid"
}

master_json() { curl -sf --max-time 2 "http://127.0.0.1:$1/json/"; }

stop_one() {
  local name="$1" pid children
  if pid="$(live_pid "$name")"; then
    children="$(pgrep -P "$pid" || true)"   # a worker's executors
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    for c in $children; do kill -0 "$c" 2>/dev/null && kill -9 "$c" 2>/dev/null || true; done
    echo "spark-cluster: stopped $name (pid $pid)"
  fi
  rm -f "$run_dir/$name.pid"
}

start() {
  if live_pid master >/dev/null || live_pid worker >/dev/null; then
    echo "spark-cluster: already running from $run_dir; 'scripts/spark-cluster.sh stop' first" >&2; exit 1
  fi
  layout_home
  local cp="$home/conf:$home/jars/*"
  mkdir -p "$run_dir/work"
  printf 'PORT=%s\nWEBUI_PORT=%s\nWORKER_WEBUI_PORT=%s\n' "$port" "$webui" "$worker_webui" > "$run_dir/cluster.env"
  nohup java "${spark_jvm_flags[@]}" -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$webui" </dev/null >"$run_dir/master.log" 2>&1 &
  echo $! > "$run_dir/master.pid"
  wait_for "master" 'ALIVE' || fail_start master
  nohup java "${spark_jvm_flags[@]}" -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "$cores" --memory "$memory" --webui-port "$worker_webui" --work-dir "$run_dir/work" \
    "spark://127.0.0.1:$port" </dev/null >"$run_dir/worker.log" 2>&1 &
  echo $! > "$run_dir/worker.pid"
  wait_for "worker" '"aliveworkers" *: *[1-9]' || fail_start worker
  echo "spark-cluster: master spark://127.0.0.1:$port (web UI http://127.0.0.1:$webui), 1 worker with $cores cores and $memory; run folder $run_dir"
}

# polls the master's JSON until it matches; 60 s, or until the daemon has died. Alive is `kill -0`
# here, not live_pid: right after the fork the child may not have exec'd java yet (a loaded machine),
# and its command line is still this script's.
wait_for() {
  local name="$1" pattern="$2" pid
  pid="$(cat "$run_dir/$name.pid")"
  for _ in $(seq 1 240); do
    kill -0 "$pid" 2>/dev/null || return 1
    local json
    json="$(master_json "$webui" 2>/dev/null)" && grep -Eq "$pattern" <<<"$json" && return 0
    sleep 0.25
  done
  return 1
}

fail_start() {
  echo "spark-cluster: the $1 did not come up; the end of $run_dir/$1.log:" >&2
  tail -n 20 "$run_dir/$1.log" >&2 || true
  stop_one worker >/dev/null; stop_one master >/dev/null
  exit 1
}

status() {
  # shellcheck disable=SC1091
  [[ -f $run_dir/cluster.env ]] && source "$run_dir/cluster.env" && webui="$WEBUI_PORT" && port="$PORT"
  local json
  if ! json="$(master_json "$webui")"; then
    echo "spark-cluster: no master answers on http://127.0.0.1:$webui/json/"; exit 3
  fi
  local status alive cores
  status="$(grep -o '"status" *: *"[A-Z]*"' <<<"$json" | head -1 | grep -o '[A-Z]*"$' | tr -d '"')"
  alive="$(grep -o '"aliveworkers" *: *[0-9]*' <<<"$json" | grep -o '[0-9]*$')"
  cores="$(grep -o '"cores" *: *[0-9]*' <<<"$json" | head -1 | grep -o '[0-9]*$')"
  echo "master spark://127.0.0.1:$port: $status, $alive alive worker(s), $cores cores (http://127.0.0.1:$webui)"
  [[ $status == ALIVE ]]
}

case "$cmd" in
  start) start ;;
  stop) stop_one worker; stop_one master ;;
  status) status ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
