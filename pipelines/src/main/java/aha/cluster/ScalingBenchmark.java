package aha.cluster;

import aha.BadInputException;
import aha.FileTree;
import aha.filter.FilterBenchmark;
import aha.filter.Verifiers;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Times one data stage at several sizes on the DirectRunner, Spark {@code local[2]} and a standalone
 * cluster, and prints one markdown table row per run.
 *
 * <pre>
 * make bench-scaling WORKLOAD=filter SIZES=100000,1000000
 * java -cp pipelines/target/aha.jar:$(cat pipelines/target/classpath.txt) [Spark's --add-opens flags] \
 *   aha.cluster.ScalingBenchmark --workload filter --sizes 100000,1000000 \
 *   [--runners direct,local,cluster] [--master spark://127.0.0.1:7077] [--out rows.md]
 * </pre>
 *
 * Without {@code --master}, the cluster column starts its own master and worker on free loopback
 * ports (scripts/spark-cluster.sh of this checkout) and stops them at the end. A workload writes
 * its inputs once per size, untimed; the timed stage then runs on each runner. The time is the
 * stage alone, including the Spark context's start (and on the cluster the executor's start and
 * the fetch of the application's jars), without the JVM's start.
 */
public final class ScalingBenchmark {
  /** A stage to time at a given size. */
  public interface Workload {
    String name();

    /** What {@code size} counts (problems, generations). */
    String unit();

    /** Untimed: writes what the timed stage reads under {@code dir}. */
    void prepare(long size, Path dir) throws Exception;

    /** Runs the timed stage once on {@code runner} ({@code master} for Spark, null for Direct). */
    Timed time(long size, Runner runner, String master, Path dir) throws Exception;
  }

  /** The stage's seconds and the rows it wrote. */
  public record Timed(double seconds, long outputRows) {}

  /**
   * A recipe at a given size: the stages before {@code stage} run once on the DirectRunner, untimed;
   * {@code stage} then runs with {@code --force} and is timed by its manifest's {@code timing.seconds}.
   */
  public record RecipeWorkload(String name, String unit, String stage, LongFunction<String> recipe) implements Workload {
    @Override
    public void prepare(long size, Path dir) throws Exception {
      Path recipeFile = dir.resolve("recipe.yaml");
      Files.writeString(recipeFile, recipe.apply(size));
      Recipe r = RecipeLoader.load(recipeFile);
      for (StageSpec s : r.stages()) {
        if (s.stageName().equals(stage)) break;
        runStage(r, recipeFile, s.stageName(), Runner.DIRECT, null, dir.resolve("out"), false);
      }
    }

    @Override
    public Timed time(long size, Runner runner, String master, Path dir) throws Exception {
      Path recipeFile = dir.resolve("recipe.yaml");
      Path stageDir = runStage(RecipeLoader.load(recipeFile), recipeFile, stage, runner, master, dir.resolve("out"), true);
      JsonNode m = Manifest.read(stageDir);
      long out = 0;
      for (JsonNode split : m.path("splits")) out += split.path("rows").asLong();
      return new Timed(m.path("timing").path("seconds").asDouble(), out);
    }
  }

  /**
   * The filter stage on synthetic Countdown generations ({@link FilterBenchmark#writeGenerations}:
   * four per problem, half correct), written straight to Parquet rather than through a teacher, so
   * that a million take seconds to make. Timed around the stage's run; rows out are kept + rejected.
   */
  public record FilterWorkload() implements Workload {
    @Override
    public String name() {
      return "filter";
    }

    @Override
    public String unit() {
      return "generations";
    }

    @Override
    public void prepare(long size, Path dir) throws Exception {
      FilterBenchmark.writeGenerations(dir.resolve("generate"), size);
    }

    @Override
    public Timed time(long size, Runner runner, String master, Path dir) throws Exception {
      FilterBenchmark.Result r = FilterBenchmark.run(size, runner, master, dir, Verifiers.BUILT_IN);
      return new Timed(r.seconds(), r.counters().getOrDefault("filter.kept", 0L) + r.counters().getOrDefault("filter.rejected", 0L));
    }
  }

  /** The built-in workloads, by name. */
  public static final Map<String, Workload> WORKLOADS = new LinkedHashMap<>();

  static {
    // 3 numbers in 1..100 and targets up to 1000: 1M problems are mostly distinct, so every row goes through
    // de-duplication and the hold-out join (4 numbers would make the expression search dominate the time)
    WORKLOADS.put("prepare-countdown", new RecipeWorkload("prepare-countdown", "problems", "prepare", n -> """
        name: bench
        seed: 1
        stages:
          - type: prepare
            source: {generator: countdown, count: %d, numbers: 3, max_number: 100, max_target: 1000}
            eval_holdout: 500
        """.formatted(n)));
    WORKLOADS.put("prepare-arithmetic", new RecipeWorkload("prepare-arithmetic", "problems", "prepare", n -> """
        name: bench
        seed: 1
        stages:
          - type: prepare
            source: {generator: arithmetic, count: %d, digits: 4}
            eval_holdout: 500
        """.formatted(n)));
    WORKLOADS.put("filter", new FilterWorkload());
  }

  /** One timed run. */
  public record Row(String workload, long size, String unit, String runner, double seconds, long outputRows) {
    public String markdown() {
      return String.format("| %s | %,d %s | %s | %.1f | %,.0f | %,d |", workload, size, unit, runner, seconds, size / seconds, outputRows);
    }
  }

  public static final String HEADER = "| workload | input | runner | seconds | input rows/s | rows out |\n|---|---:|---|---:|---:|---:|";

  private ScalingBenchmark() {}

  /**
   * Runs {@code workload} at each size on each runner ({@code direct}, {@code local}, {@code cluster}).
   *
   * @param master a running cluster's URL, or null to start one from {@code repoDir} for the cluster runs
   */
  public static List<Row> run(Workload workload, List<Long> sizes, List<String> runners, String master, Path repoDir,
      PrintStream progress) throws Exception {
    for (String r : runners) {
      if (!List.of("direct", "local", "cluster").contains(r)) {
        throw new BadInputException("--runners takes direct, local and cluster, got '" + r + "'");
      }
    }
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
        workload.prepare(size, dir);
        for (String r : runners) {
          Runner runner = r.equals("direct") ? Runner.DIRECT : Runner.SPARK;
          String url = r.equals("direct") ? null : r.equals("local") ? "local[2]" : master;
          Timed t = workload.time(size, runner, url, dir);
          String label = r.equals("cluster") ? "standalone (1 worker, 2 cores)" : r.equals("local") ? "Spark local[2]" : "Direct";
          Row row = new Row(workload.name(), size, workload.unit(), label, t.seconds(), t.outputRows());
          rows.add(row);
          progress.println(row.markdown());
        }
        FileTree.delete(dir);
      }
    } finally {
      if (cluster != null) cluster.close();
      FileTree.delete(work);
    }
    return rows;
  }

  /**
   * The checkout that holds {@code scripts/spark-cluster.sh}: the working directory, or the one the
   * classes were loaded from ({@code pipelines/target/...}), so {@code scripts/aha bench} works from anywhere.
   */
  public static Path repoDir() {
    Path cwd = Path.of("").toAbsolutePath();
    if (Files.exists(cwd.resolve("scripts/spark-cluster.sh"))) return cwd;
    try {
      Path p = Path.of(ScalingBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (; p != null; p = p.getParent()) {
        if (Files.exists(p.resolve("scripts/spark-cluster.sh"))) return p;
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    return cwd;
  }

  private static Path runStage(Recipe recipe, Path recipeFile, String stage, Runner runner, String master, Path outputRoot,
      boolean force) throws Exception {
    StageRunner.Options o = new StageRunner.Options(runner, master, force, stage, outputRoot, false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<StageRunner.Result> results = new StageRunner(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run(recipe, recipeFile);
    return results.stream().filter(x -> x.stage().equals(stage)).findFirst().orElseThrow().dir();
  }

  /** See the class comment; exit code 2 for bad arguments. */
  public static void main(String[] args) throws Exception {
    try {
      print(args, System.out);
    } catch (BadInputException e) {
      System.err.println("bench-scaling: " + e.getMessage());
      System.exit(2);
    }
    System.exit(0); // Spark and Beam leave non-daemon threads behind
  }

  /** Parses the arguments, runs, and prints the markdown table to {@code out} (and to {@code --out FILE}). */
  public static List<Row> print(String[] args, PrintStream out) throws Exception {
    String workload = "prepare-countdown";
    List<Long> sizes = List.of(100_000L, 1_000_000L);
    List<String> runners = List.of("direct", "local", "cluster");
    String master = null;
    Path file = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) throw new BadInputException(args[i] + " needs a value");
      String v = args[i + 1];
      switch (args[i]) {
        case "--workload" -> workload = v;
        case "--sizes" -> sizes = sizes(v);
        case "--runners" -> runners = List.of(v.split(","));
        case "--master" -> master = v;
        case "--out" -> file = Path.of(v);
        default -> throw new BadInputException("unknown argument " + args[i]
            + " (known: --workload, --sizes, --runners, --master, --out)");
      }
    }
    Workload w = WORKLOADS.get(workload);
    if (w == null) throw new BadInputException("unknown workload '" + workload + "'; one of " + WORKLOADS.keySet());
    out.println(HEADER);
    List<Row> rows = run(w, sizes, runners, master, repoDir(), out);
    if (file != null) {
      StringBuilder sb = new StringBuilder(HEADER).append('\n');
      rows.forEach(r -> sb.append(r.markdown()).append('\n'));
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, sb.toString());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return rows;
  }

  /** {@code 100000,1000000}; also {@code 100k,1M}. */
  static List<Long> sizes(String list) {
    List<Long> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String t = part.trim().toLowerCase(java.util.Locale.ROOT);
      long scale = t.endsWith("k") ? 1_000 : t.endsWith("m") ? 1_000_000 : 1;
      try {
        long n = Long.parseLong(scale == 1 ? t : t.substring(0, t.length() - 1)) * scale;
        if (n < 1) throw new NumberFormatException();
        out.add(n);
      } catch (NumberFormatException e) {
        throw new BadInputException("--sizes takes positive counts such as 100000,1000000 or 100k,1M, got '" + part + "'");
      }
    }
    return out;
  }
}
