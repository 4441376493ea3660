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
  shaded spark-cluster spark-cluster-stop spark-cluster-status spark-submit bench-scaling verify-parity math-verify-importable \
  interop-check torch-importable

help:
	@echo "make run                 build, then run $(RECIPE) (the built-in offline recipe)"
	@echo "make test                all tests that need no ../shared data (slow ones included)"
	@echo "make test-fast           the same without the @Tag(\"slow\") tests"
	@echo "make test-shared         tests that read ../shared (fixtures, eval sets)"
	@echo "make validate RECIPE=f   check a recipe without running it"
	@echo "make <stage> RECIPE=f    run one stage from its inputs: $(STAGES)"
	@echo "make bench               measure and write docs/benchmarks.md"
	@echo "make verify-parity       aha verify against Math-Verify on R1-style cases (needs MATH_VERIFY_PYTHONPATH, docs/verify.md)"
	@echo "make interop-check       checkpoints aha writes, loaded and scored by transformers (needs AHA_TORCH_PYTHON, README)"
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

# Parity with Math-Verify (docs/verify.md): the same R1-style cases, built from ../shared's eval sets,
# through `aha verify` and through Math-Verify (Python; not a dependency of aha: point
# MATH_VERIFY_PYTHONPATH at an installation); prints the agreement, each disagreement and the
# single-core throughput of both. Not part of `make test`.
SHARED ?= ../shared
PARITY := target/parity
MATH_VERIFY_PYTHONPATH ?= $(PYTHONPATH)
PIN := $(shell command -v taskset >/dev/null 2>&1 && echo taskset -c 0)
AHA_CP = pipelines/target/classes:$$(cat pipelines/target/classpath.txt)
verify-parity: math-verify-importable build
	java -cp $(AHA_CP) aha.verify.ParityCases --shared $(SHARED) --output $(PARITY)/cases.jsonl
	$(AHA) verify --input $(PARITY)/cases.jsonl --output $(PARITY)/aha.jsonl --reasons --threads 1
	PYTHONPATH=$(MATH_VERIFY_PYTHONPATH) $(PIN) python3 scripts/math-verify-parity.py run \
	  --input $(PARITY)/cases.jsonl --output $(PARITY)/math-verify.jsonl
	$(PIN) java -cp $(AHA_CP) aha.verify.VerifyBenchmark --cases $(PARITY)/cases.jsonl --seconds 10
	python3 scripts/math-verify-parity.py compare --cases $(PARITY)/cases.jsonl \
	  --aha $(PARITY)/aha.jsonl --math-verify $(PARITY)/math-verify.jsonl

math-verify-importable:
	@PYTHONPATH=$(MATH_VERIFY_PYTHONPATH) python3 -c 'import math_verify' 2>/dev/null || { echo "make verify-parity:" \
	  "math_verify is not importable; set MATH_VERIFY_PYTHONPATH (or PYTHONPATH) to a Math-Verify installation (docs/verify.md)" >&2; exit 2; }

# Checkpoints `aha model init` writes (qwen2/llama, F32/BF16, tied/untied), loaded by Hugging Face
# transformers and compared with aha: keys, config, tokenizer ids, chat template, per-token log-probs
# (README, "Checkpoints in transformers"). Needs a python with torch and transformers, which CI
# machines lack, so it is not part of `make test`.
# CHECKPOINTS="dir ..." adds trained folders, e.g. CHECKPOINTS=datasets/countdown-tiny/05-grpo/checkpoint
AHA_TORCH_PYTHON ?= python3
CHECKPOINTS ?=
interop-check: torch-importable build
	AHA_TORCH_PYTHON=$(AHA_TORCH_PYTHON) $(AHA_TORCH_PYTHON) scripts/transformers-load-check.py \
	  $(foreach c,$(CHECKPOINTS),--checkpoint $(c))

torch-importable:
	@$(AHA_TORCH_PYTHON) -c 'import torch, transformers, safetensors' 2>/dev/null || { echo "make interop-check:" \
	  "$(AHA_TORCH_PYTHON) cannot import torch, transformers and safetensors; set AHA_TORCH_PYTHON to a python" \
	  "that can (make interop-check AHA_TORCH_PYTHON=/path/to/python)" >&2; exit 2; }

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
