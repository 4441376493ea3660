package aha.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.stage.Manifest;
import aha.stage.Runner;
import aha.testing.Runs;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone master and worker on 127.0.0.1 (started by scripts/spark-cluster.sh), a recipe
 * submitted to it by scripts/spark-submit.sh, and the outputs compared with the DirectRunner's.
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
          source: {generator: countdown, count: 300, numbers: 3, max_number: 9, max_target: 40}
          eval_holdout: 20
          shards: 2
      """;

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
  void preparedOnTheClusterEqualsTheDirectRunner(@TempDir Path tmp) throws Exception {
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
    assertThat(log).contains("prepare: done");

    // the executors ran on the worker (not in a local[*] driver): it made an application folder
    try (Stream<Path> apps = Files.list(runDir.resolve("work"))) {
      assertThat(apps.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("app-"));
    }
    for (String split : new String[] {"train", "eval"}) {
      assertThat(rows(tmp.resolve("cluster"), split)).as(split).isEqualTo(rows(tmp.resolve("direct"), split)).isNotEmpty();
    }
    var d = Manifest.read(tmp.resolve("direct/cluster/01-prepare"));
    var c = Manifest.read(tmp.resolve("cluster/cluster/01-prepare"));
    assertThat(c.get("counters")).isEqualTo(d.get("counters"));
    assertThat(c.get("counters").path("prepare.generated").asLong()).isEqualTo(300);
    assertThat(c.get("config_hash")).isEqualTo(d.get("config_hash"));
    assertThat(c.get("splits").path("eval").path("rows").asLong()).isEqualTo(20);
  }

  /** scripts/spark-submit.sh with the driver on the test classpath. */
  private static Process submit(Path recipe, Path outputRoot, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(repo().resolve("scripts/spark-submit.sh").toString(), recipe.toString(),
        "--master", cluster.masterUrl(), "--stage", "prepare", "--output-dir", outputRoot.toString(), "--driver-memory", "1g")
        .directory(repo().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("AHA_CLASSPATH", testClasspath());
    return pb.start();
  }

  /** Surefire's forked JVM reports the real test classpath here (java.class.path may be its booter jar). */
  private static String testClasspath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    assertThat(cp).contains("classes");
    return String.join(File.pathSeparator, Stream.of(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList());
  }

  private static Path repo() {
    return Path.of(System.getProperty("aha.repo.dir", "..")).toAbsolutePath().normalize();
  }

  static Set<Problem> rows(Path root, String split) {
    return new HashSet<>(ParquetFiles.readAll(ParquetFiles.split(root.resolve("cluster/01-prepare/data"), split), Problem::fromAvro));
  }
}
