# aha: the DeepSeek-R1 recipe end to end on the JVM. This file is a table of contents; the work is
# in scripts/aha (the CLI) and Maven. `make run` and `make test` are the two commands to know.
RECIPE ?= recipes/countdown-tiny.yaml
ARGS ?=
AHA := scripts/aha
MVN := mvn -B -ntp

# DJL must never reach the network; Spark stays on loopback.
export OPT_OUT_TRACKING := true
export SPARK_LOCAL_IP := 127.0.0.1
export OMP_WAIT_POLICY := PASSIVE

STAGES := prepare generate filter sft grpo eval report publish
DUCKDB := .tools/duckdb/node_modules/@duckdb/node-api/package.json

.PHONY: help build run test test-fast test-shared validate $(STAGES) bench style clean test-setup \
  shaded spark-cluster spark-cluster-stop spark-cluster-status spark-submit bench-scaling

help:
	@echo "make run                 build, then run $(RECIPE) (the built-in offline recipe)"
	@echo "make test                all tests that need no ../shared data (slow ones included)"
	@echo "make test-fast           the same without the @Tag(\"slow\") tests"
	@echo "make test-shared         tests that read ../shared (fixtures, eval sets)"
	@echo "make validate RECIPE=f   check a recipe without running it"
	@echo "make <stage> RECIPE=f    run one stage from its inputs: $(STAGES)"
	@echo "make bench               measure and write docs/benchmarks.md"
	@echo "make style               format the Java sources (google-java-format)"
	@echo "make shaded              pipelines/target/aha-shaded.jar, the one jar a Spark cluster's driver runs (~400 MB)"
	@echo "make spark-cluster       start a standalone Spark master + worker on 127.0.0.1 (stop: make spark-cluster-stop)"
	@echo "make spark-submit RECIPE=f MASTER=spark://host:port   run the recipe's data stages on a cluster (docs/cluster.md)"
	@echo "make bench-scaling WORKLOAD=filter SIZES=100000,1000000   time a data stage on Direct, Spark local[2] and a local cluster"

build:
	$(MVN) -q -DskipTests package

run: build
	$(AHA) run $(RECIPE) $(ARGS)

validate: build
	$(AHA) validate $(RECIPE)

$(STAGES): build
	$(AHA) run $(RECIPE) --stage $@ $(ARGS)

# The DuckDB reader used by the tests as an independent check of our Parquet files.
test-setup: $(DUCKDB)
$(DUCKDB):
	npm install --prefix .tools/duckdb --no-audit --no-fund --loglevel=error @duckdb/node-api@1.5.6-r.1

test: test-setup
	$(MVN) test

test-fast: test-setup
	$(MVN) test -Dtest.excludedGroups=shared,slow

test-shared: test-setup
	$(MVN) test -Dtest.groups=shared -Dtest.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false

bench: build
	$(AHA) bench --output docs/benchmarks.md

style:
	$(MVN) -q spotless:apply

clean:
	$(MVN) -q clean

# --- Spark cluster (docs/cluster.md) ---
MASTER ?= spark://127.0.0.1:7077
CLUSTER_ARGS ?=
shaded:
	$(MVN) -q -Pshaded -DskipTests package

spark-cluster:
	scripts/spark-cluster.sh start $(CLUSTER_ARGS)

spark-cluster-stop:
	scripts/spark-cluster.sh stop

spark-cluster-status:
	scripts/spark-cluster.sh status

spark-submit:
	scripts/spark-submit.sh $(RECIPE) --master $(MASTER) $(ARGS)

# Times a data stage on Direct, Spark local[2] and a standalone cluster it starts on free ports.
# Workloads: filter (synthetic generations), prepare-countdown, prepare-arithmetic; ARGS="--runners direct,local".
WORKLOAD ?= prepare-countdown
SIZES ?= 100000,1000000
bench-scaling: build
	bash -c 'source scripts/lib/spark-jvm.sh && exec java -Xmx6g "$${spark_jvm_flags[@]}" \
	  -cp "pipelines/target/aha.jar:$$(cat pipelines/target/classpath.txt)" aha.cluster.ScalingBenchmark \
	  --workload $(WORKLOAD) --sizes $(SIZES) $(ARGS)'
