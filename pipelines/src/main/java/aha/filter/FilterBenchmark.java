package aha.filter;

import aha.FileTree;
import aha.dataset.Completion;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
import aha.stage.Runner;
import aha.stage.StageContext;
import aha.stage.StageRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Filter throughput on synthetic Countdown generations (four per problem: two correct with
 * different traces, one wrong, one cut off; about 120 words each), on the Direct or Spark runner.
 *
 * <pre>
 * java ... aha.filter.FilterBenchmark 1000000 spark /tmp/filter-bench
 * </pre>
 */
public final class FilterBenchmark {
  private FilterBenchmark() {}

  /** What one run measured. */
  public record Result(Runner runner, long generations, double seconds, Map<String, Long> counters) {
    public double generationsPerSecond() {
      return generations / seconds;
    }
  }

  /**
   * Writes {@code generations} synthetic generations under {@code dir} (rows of the generate stage:
   * one per problem, four generations each, the last problem with fewer when {@code generations}
   * is not a multiple of four) and filters them (Spark: {@code local[2]}).
   */
  public static Result run(long generations, Runner runner, Path dir, Verifiers verifiers) throws Exception {
    return run(generations, runner, null, dir, verifiers);
  }

  /**
   * As above on a given Spark master ({@code local[2]}, {@code spark://host:port}); the input is
   * written once and reused while its size matches. Every executor must see {@code dir} at the same path.
   */
  public static Result run(long generations, Runner runner, String master, Path dir, Verifiers verifiers) throws Exception {
    Path generate = dir.resolve("generate");
    writeGenerations(generate, generations);
    Path out = dir.resolve("filter-" + runner + (master == null ? "" : "-" + master.replaceAll("[^A-Za-z0-9]", "_")));
    FileTree.delete(out);
    Files.createDirectories(out.resolve("data"));
    StageRunner.Options options = new StageRunner.Options(runner, master, false, null, null, false);
    StageContext ctx = StageContext.standalone("filter-bench", out, 1, Map.of("generate", generate), options);
    FilterSpec spec = new FilterSpec(null, "generate", "countdown", true, true, null, 4096, "words", true, 0.5, 4, null, false,
        "all", null, new FilterSpec.PassRateSpec(0.1, 0.9), new FilterSpec.DedupeSpec(true, true, 0.9), null, 1);
    long start = System.nanoTime();
    new FilterStage(verifiers, null).run(spec, ctx);
    Result r = new Result(runner, generations, (System.nanoTime() - start) / 1e9, ctx.countersSoFar());
    FileTree.delete(out);
    return r;
  }

  /** Input shards, so that Spark reads the generations in parallel. */
  static final int SHARDS = 4;

  /**
   * Fills {@code generateDir/data} with {@code generations} synthetic rows in the generate stage's
   * layout ({@code train-0000k-of-00004.parquet}), unless it already holds that many. This is the one
   * place that knows the generate stage's row shape: change it with that shape.
   */
  public static void writeGenerations(Path generateDir, long generations) throws java.io.IOException {
    Path data = generateDir.resolve("data");
    long problems = (generations + PER_PROBLEM - 1) / PER_PROBLEM; // one row per problem
    List<Path> existing = Files.isDirectory(data) ? ParquetFiles.split(data, "train") : List.of();
    if (existing.size() == SHARDS && existing.stream().mapToLong(ParquetFiles::rowCount).sum() == problems
        && generations % PER_PROBLEM == 0) {
      return;
    }
    FileTree.delete(generateDir);
    for (int k = 0; k < SHARDS; k++) {
      long from = problems * k / SHARDS;
      long to = problems * (k + 1) / SHARDS;
      Path file = data.resolve(String.format("train-%05d-of-%05d.parquet", k, SHARDS));
      ParquetFiles.write(file, ProblemGenerations.SCHEMA, () -> records(from, to, generations));
    }
  }

  /** {@code java aha.filter.FilterBenchmark GENERATIONS [direct|spark] [DIR]}; needs the built-in verifiers wired. */
  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    Runner runner = args.length > 1 ? Runner.parse(args[1]) : Runner.DIRECT;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("aha-filter-bench");
    print(run(n, runner, dir, Verifiers.BUILT_IN));
  }

  public static void print(Result r) {
    System.out.printf("filter %s: %d generations in %.1f s = %.0f generations/s (kept %d, prompts %d)%n", r.runner(), r.generations(),
        r.seconds(), r.generationsPerSecond(), r.counters().getOrDefault("filter.kept", 0L), r.counters().getOrDefault("filter.prompts", 0L));
  }

  static final int PER_PROBLEM = 4;

  /** Generate-stage rows of problems {@code from} (inclusive) to {@code to}, of {@code generations} in all. */
  private static Iterator<GenericRecord> records(long from, long to, long generations) {
    return new Iterator<>() {
      long problem = from;

      @Override
      public boolean hasNext() {
        return problem < to && problem * PER_PROBLEM < generations;
      }

      @Override
      public GenericRecord next() {
        int samples = (int) Math.min(PER_PROBLEM, generations - problem * PER_PROBLEM);
        return row(problem++, samples).toAvro();
      }
    };
  }

  /** A generate-stage row: {@code samples} generations of problem {@code index}. */
  static ProblemGenerations row(long index, int samples) {
    List<Completion> cs = new java.util.ArrayList<>();
    for (int s = 0; s < samples; s++) cs.add(completion(index, s));
    return ProblemGenerations.of(cs);
  }

  static Completion completion(long index, int sample) {
    int a = (int) (1 + index % 97);
    int b = (int) (100 + (index / 97) % 89); // b > a always, so no two problems share numbers and target
    int c = (int) (2 + index / (97 * 89));
    int target = (a + b) * c;
    Problem p = new Problem(String.format("bench-%09d", index), "Use " + a + " " + b + " " + c + " to make " + target + ".",
        String.valueOf(target), "bench", "countdown", new Problem.Countdown(List.of(a, b, c), target), Map.of());
    StringBuilder trace = new StringBuilder("Let me try adding first. ");
    for (int k = 0; k < 20; k++) {
      trace.append("Try ").append(a + k).append(" plus ").append(b * (sample + 1) + k).append(" then check. ");
    }
    trace.append("Wait, ").append(a).append(" + ").append(b).append(" = ").append(a + b).append(", times ").append(c)
        .append(" is ").append(target).append(". Yes.");
    String answer = sample == 1 ? a + "+" + b + "+" + c : sample == 2 ? c + "*(" + b + "+" + a + ")" : "(" + a + "+" + b + ")*" + c;
    List<Completion.Message> messages = List.of(new Completion.Message("user", p.problem()));
    return new Completion(p, sample, "bench", messages, trace.toString(), "<answer>" + answer + "</answer>",
        sample == 3 ? "length" : "stop", 20, 160, p.id() + "#" + sample);
  }
}
