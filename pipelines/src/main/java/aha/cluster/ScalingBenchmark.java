package aha.cluster;

import aha.recipe.Recipe;
import aha.recipe.RecipeLoader;
import aha.recipe.StageSpec;
import aha.stage.Manifest;
import aha.stage.Runner;
import aha.stage.StageRunner;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * Times one data stage of a generated recipe at several sizes on the DirectRunner, Spark {@code
 * local[2]} and a standalone cluster, and prints one markdown table row per run.
 *
 * <pre>
 * java -cp pipelines/target/aha.jar:$(cat pipelines/target/classpath.txt) [Spark's --add-opens flags] \
 *   aha.cluster.ScalingBenchmark --workload prepare-countdown --sizes 100000,1000000 \
 *   [--runners direct,local,cluster] [--master spark://127.0.0.1:7077] [--out rows.md]
 * </pre>
 *
 * Without {@code --master}, the cluster column starts its own master and worker on free loopback
 * ports (scripts/spark-cluster.sh, run from the current directory) and stops them at the end. The
 * stages before the timed one run once on the DirectRunner and are not timed; the timed stage then
 * runs with {@code --force} on each runner. The time is the manifest's {@code timing.seconds}: the
 * stage alone, including the Spark context's start, without the JVM's start.
 */
public final class ScalingBenchmark {
  /** A recipe at a given size and the stage to time in it. To add filter: a recipe with prepare, generate and filter. */
  public record Workload(String name, String stage, LongFunction<String> recipe) {}

  /** The built-in workloads, by name. */
  public static final Map<String, Workload> WORKLOADS = new LinkedHashMap<>();

  static {
    // 3 numbers in 1..100 and targets up to 1000: 1M problems are mostly distinct, so every row goes through
    // de-duplication and the hold-out join (4 numbers would make the expression search dominate the time)
    WORKLOADS.put("prepare-countdown", new Workload("prepare-countdown", "prepare", n -> """
        name: bench
        seed: 1
        stages:
          - type: prepare
            source: {generator: countdown, count: %d, numbers: 3, max_number: 100, max_target: 1000}
            eval_holdout: 500
        """.formatted(n)));
    WORKLOADS.put("prepare-arithmetic", new Workload("prepare-arithmetic", "prepare", n -> """
        name: bench
        seed: 1
        stages:
          - type: prepare
            source: {generator: arithmetic, count: %d, digits: 4}
            eval_holdout: 500
        """.formatted(n)));
  }

  /** One timed run. */
  public record Row(String workload, long size, String runner, double seconds, long outputRows) {
    public String markdown() {
      return String.format("| %s | %,d | %s | %.1f | %,.0f | %,d |", workload, size, runner, seconds, size / seconds, outputRows);
    }
  }

  public static final String HEADER = "| workload | problems | runner | seconds | problems/s | rows out |\n|---|---:|---|---:|---:|---:|";

  private ScalingBenchmark() {}

  /**
   * Runs {@code workload} at each size on each runner ({@code direct}, {@code local}, {@code cluster}).
   *
   * @param master a running cluster's URL, or null to start one from {@code repoDir} for the cluster runs
   */
  public static List<Row> run(Workload workload, List<Long> sizes, List<String> runners, String master, Path repoDir,
      PrintStream progress) throws Exception {
    List<Row> rows = new ArrayList<>();
    Path work = Files.createTempDirectory("aha-bench");
    StandaloneCluster cluster = null;
    try {
      if (runners.contains("cluster") && master == null) {
        cluster = StandaloneCluster.start(repoDir, work.resolve("cluster"), 2, "4g");
        master = cluster.masterUrl();
      }
      for (long size : sizes) {
        Path dir = work.resolve("size-" + size);
        Files.createDirectories(dir);
        Path recipeFile = dir.resolve("recipe.yaml");
        Files.writeString(recipeFile, workload.recipe().apply(size));
        Recipe recipe = RecipeLoader.load(recipeFile);
        // stages before the timed one, once, untimed
        for (StageSpec s : recipe.stages()) {
          if (s.stageName().equals(workload.stage())) break;
          runStage(recipe, recipeFile, s.stageName(), Runner.DIRECT, null, dir.resolve("out"), false);
        }
        for (String r : runners) {
          Runner runner = r.equals("direct") ? Runner.DIRECT : Runner.SPARK;
          String url = switch (r) {
            case "direct" -> null;
            case "local" -> "local[2]";
            case "cluster" -> master;
            default -> throw new IllegalArgumentException("runner must be direct, local or cluster, got " + r);
          };
          Path stageDir = runStage(recipe, recipeFile, workload.stage(), runner, url, dir.resolve("out"), true);
          JsonNode m = Manifest.read(stageDir);
          long out = 0;
          for (JsonNode split : m.path("splits")) out += split.path("rows").asLong();
          Row row = new Row(workload.name(), size, r.equals("cluster") ? "standalone (1 worker, 2 cores)" : r.equals("local")
              ? "Spark local[2]" : "Direct", m.path("timing").path("seconds").asDouble(), out);
          rows.add(row);
          progress.println(row.markdown());
        }
        deleteTree(dir);
      }
    } finally {
      if (cluster != null) cluster.close();
      deleteTree(work);
    }
    return rows;
  }

  private static Path runStage(Recipe recipe, Path recipeFile, String stage, Runner runner, String master, Path outputRoot,
      boolean force) throws Exception {
    StageRunner.Options o = new StageRunner.Options(runner, master, force, stage, outputRoot, false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<StageRunner.Result> results = new StageRunner(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run(recipe, recipeFile);
    return results.stream().filter(x -> x.stage().equals(stage)).findFirst().orElseThrow().dir();
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  public static void main(String[] args) throws Exception {
    String workload = "prepare-countdown";
    List<Long> sizes = List.of(100_000L, 1_000_000L);
    List<String> runners = List.of("direct", "local", "cluster");
    String master = null;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--workload" -> workload = v;
        case "--sizes" -> sizes = Stream.of(v.split(",")).map(String::trim).map(Long::parseLong).toList();
        case "--runners" -> runners = List.of(v.split(","));
        case "--master" -> master = v;
        case "--out" -> out = Path.of(v);
        default -> {
          System.err.println("unknown argument " + args[i] + "; workloads: " + WORKLOADS.keySet());
          System.exit(2);
        }
      }
      i++;
    }
    Workload w = WORKLOADS.get(workload);
    if (w == null) {
      System.err.println("unknown workload " + workload + "; one of " + WORKLOADS.keySet());
      System.exit(2);
    }
    System.out.println(HEADER);
    List<Row> rows = run(w, sizes, runners, master, Path.of("").toAbsolutePath(), System.out);
    if (out != null) {
      StringBuilder sb = new StringBuilder(HEADER).append('\n');
      rows.forEach(r -> sb.append(r.markdown()).append('\n'));
      Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
      Files.writeString(tmp, sb.toString());
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    System.exit(0);
  }
}
