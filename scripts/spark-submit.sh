#!/usr/bin/env bash
# Runs a recipe's data stages (prepare, generate, filter) on a Spark cluster, in client mode: the
# driver is this machine's JVM (aha's CLI from the shaded jar), the executors are the cluster's.
# Beam ships the jar to the executors itself. Outputs go to the recipe's output_dir, which every
# executor must be able to write at the same path (see docs/cluster.md). The training stages are
# not run here: `scripts/aha run RECIPE` afterwards skips the finished data stages and trains.
#
#   scripts/spark-submit.sh RECIPE --master URL [--stage NAME] [--force] [--driver-host ADDR]
#                           [--driver-memory 2g] [--conf KEY=VALUE]... [other `aha run` options]
#
#   scripts/spark-submit.sh recipes/countdown-tiny.yaml --master spark://127.0.0.1:7077
#
# Builds pipelines/target/aha-shaded.jar (`make shaded`) when it is missing or older than the sources.
# AHA_CLASSPATH=cp runs the driver from that classpath instead (Beam then stages each entry); the
# slow test uses it to skip the 400 MB jar. AHA_EXTRA_CLASSPATH is appended (e.g. spark-yarn jars).
# Exit codes as scripts/aha: 0 done, 2 bad input, 1 the work failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/spark-jvm.sh
source "$root/scripts/lib/spark-jvm.sh"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "spark-submit: $*" >&2; exit 2; }

recipe="" master="" driver_mem=2g stage=""
driver_host="${SPARK_LOCAL_IP:-127.0.0.1}"
confs=() passthrough=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) master="${2:?--master needs a URL}"; shift 2 ;;
    --driver-host) driver_host="${2:?}"; shift 2 ;;
    --driver-memory) driver_mem="${2:?}"; shift 2 ;;
    --conf) [[ ${2:-} == *=* ]] || die "--conf needs KEY=VALUE, got '${2:-}'"; confs+=("-D$2"); shift 2 ;;
    --deploy-mode) [[ ${2:-} == client ]] || die "only --deploy-mode client is supported: the driver runs here (see docs/cluster.md)"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --stage) stage="${2:?--stage needs a value}"; passthrough+=("$1" "$2"); shift 2 ;;
    --output-dir) passthrough+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -*) passthrough+=("$1"); shift ;;
    *) [[ -z $recipe ]] || die "one recipe only, got '$recipe' and '$1'"; recipe="$1"; shift ;;
  esac
done
[[ -n $recipe ]] || die "no RECIPE given (see --help)"
[[ -f $recipe ]] || die "recipe file $recipe does not exist"
[[ -n $master ]] || die "--master is required, e.g. --master spark://127.0.0.1:7077"
[[ $master =~ ^(spark://|local|yarn$|k8s://) ]] || die "--master must be spark://HOST:PORT, local[N], yarn or k8s://https://HOST:PORT, got '$master'"
[[ $driver_mem =~ ^[0-9]+[mMgG]$ ]] || die "--driver-memory must look like 2g or 512m, got '$driver_mem'"

if [[ -n ${AHA_CLASSPATH:-} ]]; then
  cp="$AHA_CLASSPATH"
else
  jar="$root/pipelines/target/aha-shaded.jar"
  if [[ ! -f $jar || -n "$(find "$root/pipelines/src/main" "$root/pipelines/pom.xml" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
    echo "spark-submit: building $jar (mvn -Pshaded package, a few minutes) ..." >&2
    (cd "$root" && mvn -B -q -ntp -Pshaded -DskipTests package >&2)
  fi
  cp="$jar"
fi
# YARN's client reads core-site.xml / yarn-site.xml from the classpath, as Spark's own spark-submit does
for d in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do [[ -n $d ]] && cp="$d:$cp"; done
[[ -n ${AHA_EXTRA_CLASSPATH:-} ]] && cp="$cp:$AHA_EXTRA_CLASSPATH"

# without --stage: every data stage, in recipe order
[[ -z $stage ]] && passthrough+=(--data-stages)

export OPT_OUT_TRACKING=true SPARK_LOCAL_IP="$driver_host"
# the driver trains the model: glibc's malloc thresholds for libtorch's tensors
source "$root/scripts/lib/malloc-env.sh"
# spark.* system properties become SparkConf entries; the driver must be reachable by the executors.
exec java -Xmx"$driver_mem" "${spark_jvm_flags[@]}" -Dai.djl.offline=true \
  -Dspark.driver.host="$driver_host" -Dspark.driver.bindAddress="$driver_host" -Dspark.ui.enabled=false \
  ${confs[@]+"${confs[@]}"} -cp "$cp" aha.cli.Main \
  run "$recipe" --runner spark --spark-master "$master" ${passthrough[@]+"${passthrough[@]}"}
