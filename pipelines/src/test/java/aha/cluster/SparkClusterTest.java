package aha.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.stage.Manifest;
import aha.stage.Runner;
import aha.testing.Runs;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone master and worker on 127.0.0.1 (started by scripts/spark-cluster.sh), a recipe of
 * prepare, generate (the local teacher, which the driver starts on 127.0.0.1 and the executors call)
 * and filter submitted to it by scripts/spark-submit.sh, and every output split of every stage
 * compared with the DirectRunner's as a multiset of rows.
 *
 * <p>The driver runs from the test classpath ({@code AHA_CLASSPATH}) rather than the 400 MB shaded
 * jar, which takes minutes to build; Beam stages each classpath entry to the executors, the same
 * mechanism that ships the shaded jar. {@code make shaded} and the script's jar path are exercised by
 * hand (docs/cluster.md).
 */
@Tag("slow")
class SparkClusterTest {
  static final String RECIPE = """
      name: cluster
      seed: 9
      stages:
        - type: prepare
          source: {generator: countdown, count: 200, numbers: 3, max_number: 9, max_target: 40, style: short}
          eval_holdout: 20
          shards: 2
        - type: generate
          teacher: {kind: local, slip_rate: 0.2}
          num_generations: 4
          sampling: {temperature: 0.6, top_p: 0.95, max_tokens: 1024}
          shards: 2
        - type: filter
          verifier: countdown
          require_format: true
          dedupe: {near_threshold: 0.9}
          decontaminate: {ngram_size: 8, against: [prepare.eval]}
      """;
  static final List<String> STAGES = List.of("01-prepare", "02-generate", "03-filter");

  @TempDir static Path runDir;
  static StandaloneCluster cluster;
  static final List<Long> daemons = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    long t0 = System.nanoTime();
    cluster = StandaloneCluster.start(repo(), runDir, 2, "2g");
    System.out.printf("cluster started in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, cluster.masterUrl());
    daemons.add(cluster.pid("master").orElseThrow());
    daemons.add(cluster.pid("worker").orElseThrow());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster == null) return;
    cluster.close();
    for (long pid : daemons) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      assertThat(h.map(ProcessHandle::isAlive).orElse(false)).as("spark daemon %d still alive after stop", pid).isFalse();
    }
    assertThat(runDir.resolve("master.pid")).doesNotExist();
    assertThat(runDir.resolve("worker.pid")).doesNotExist();
  }

  @Test
  void clusterStatusNamesTheLiveWorker() throws Exception {
    assertThat(cluster.status()).contains("ALIVE", "1 alive worker(s)", "2 cores");
  }

  @Test
  void dataStagesOnTheClusterEqualTheDirectRunner(@TempDir Path tmp) throws Exception {
    Path recipe = Runs.writeRecipe(tmp, RECIPE);
    // the cluster's driver is a separate JVM: the DirectRunner's run overlaps with its start-up
    long t0 = System.nanoTime();
    Process driver = submit(recipe, tmp.resolve("cluster"), tmp.resolve("driver.log"));
    boolean done;
    try {
      Runs.run(recipe, tmp.resolve("direct"), Runner.DIRECT, false, null);
    } finally {
      done = driver.waitFor(300, TimeUnit.SECONDS);
      if (!done) {
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly().waitFor();
      }
    }
    long t1 = System.nanoTime();
    String log = Files.readString(tmp.resolve("driver.log"), StandardCharsets.UTF_8);
    System.out.printf("direct and cluster driver together %.1f s; driver log:%n%s%n", (t1 - t0) / 1e9, log);
    assertThat(done).as("driver finished in time; its log:%n%s", log).isTrue();
    assertThat(driver.exitValue()).as("driver exit code; its log:%n%s", log).isZero();
    assertThat(log).contains("prepare: done", "generate: done", "filter: done");

    // the executors ran on the worker (not in a local[*] driver): it made an application folder
    try (Stream<Path> apps = Files.list(runDir.resolve("work"))) {
      assertThat(apps.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("app-"));
    }
    for (String stage : STAGES) {
      Path d = tmp.resolve("direct/cluster/" + stage);
      Path c = tmp.resolve("cluster/cluster/" + stage);
      Map<String, Map<String, Integer>> direct = splits(d);
      Map<String, Map<String, Integer>> onCluster = splits(c);
      assertThat(onCluster.keySet()).as(stage + " splits").isEqualTo(direct.keySet());
      for (String split : direct.keySet()) {
        // the first differing rows, not two multi-megabyte maps, when this fails
        assertThat(difference(onCluster.get(split), direct.get(split))).as("%s %s rows only on the cluster", stage, split).isEmpty();
        assertThat(difference(direct.get(split), onCluster.get(split))).as("%s %s rows only on Direct", stage, split).isEmpty();
      }
      var dm = Manifest.read(d);
      var cm = Manifest.read(c);
      assertThat(cm.get("config_hash")).as(stage).isEqualTo(dm.get("config_hash"));
      assertThat(cm.get("counters")).as(stage).isEqualTo(dm.get("counters"));
    }
    // the recipe exercises every split: prepare's hold-out, generate's traces, filter's kept and rejected rows
    assertThat(splits(tmp.resolve("direct/cluster/01-prepare")).keySet()).containsExactlyInAnyOrder("train", "eval");
    Map<String, Map<String, Integer>> filtered = splits(tmp.resolve("direct/cluster/03-filter"));
    assertThat(filtered.keySet()).contains("train", "rejected");
    assertThat(filtered.get("train")).isNotEmpty();
    assertThat(filtered.get("rejected")).isNotEmpty();
    var counters = Manifest.read(tmp.resolve("cluster/cluster/01-prepare")).get("counters");
    assertThat(counters.path("prepare.generated").asLong()).isEqualTo(200);
    // a row of four generations for every train problem, and filter saw each generation once
    long problems = Manifest.read(tmp.resolve("cluster/cluster/01-prepare")).path("splits").path("train").path("rows").asLong();
    var generate = Manifest.read(tmp.resolve("cluster/cluster/02-generate"));
    assertThat(generate.path("splits").path("train").path("rows").asLong()).isEqualTo(problems);
    var filter = Manifest.read(tmp.resolve("cluster/cluster/03-filter"));
    assertThat(filter.path("counters").path("filter.input").asLong()).isEqualTo(4 * problems);
  }

  /** scripts/spark-submit.sh with the driver on the test classpath. */
  private static Process submit(Path recipe, Path outputRoot, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(repo().resolve("scripts/spark-submit.sh").toString(), recipe.toString(),
        "--master", cluster.masterUrl(), "--output-dir", outputRoot.toString(), "--driver-memory", "1g")
        .directory(repo().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("AHA_CLASSPATH", testClasspath());
    return pb.start();
  }

  /** Surefire's forked JVM reports the real test classpath here (java.class.path may be its booter jar). */
  private static String testClasspath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    assertThat(cp).contains("classes");
    // Beam stages every entry to each Spark application's executor; the data stages never load libtorch,
    // so its 112 MB native jar is left out (one copy less per stage on a loaded machine)
    return String.join(File.pathSeparator, Stream.of(cp.split(File.pathSeparator))
        .filter(s -> !s.isBlank() && !Path.of(s).getFileName().toString().startsWith("pytorch-native-")).toList());
  }

  private static Path repo() {
    return Path.of(System.getProperty("aha.repo.dir", "..")).toAbsolutePath().normalize();
  }

  /** Rows (with their counts) of {@code a} that {@code b} lacks or holds fewer times; at most 3. */
  static List<String> difference(Map<String, Integer> a, Map<String, Integer> b) {
    return a.entrySet().stream().filter(e -> b.getOrDefault(e.getKey(), 0) < e.getValue())
        .map(e -> e.getValue() + "x " + e.getKey()).limit(3).toList();
  }

  /**
   * Every split of a stage folder as a multiset of rows (each row as Avro's JSON text, list columns
   * in their written order, so the check needs no knowledge of the stage's row type): split name to row text to how often it occurs.
   */
  static Map<String, Map<String, Integer>> splits(Path stageDir) throws Exception {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(stageDir.resolve("data"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        String split = f.getFileName().toString().replaceFirst("-\\d{5}-of-\\d{5}\\.parquet$", "");
        Map<String, Integer> rows = out.computeIfAbsent(split, k -> new HashMap<>());
        for (String row : ParquetFiles.readAll(List.of(f), GenericRecord::toString)) rows.merge(row, 1, Integer::sum);
      }
    }
    return out;
  }
}
