package aha.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every benchmark of {@code make bench}, each a main method that prints markdown, gathered into one
 * report with the machine it ran on. Figures live here and in docs/benchmarks.md, never in tests.
 */
public final class Benchmarks {
  /** A benchmark: a heading and a main that prints markdown lines to standard output. */
  public record Entry(String title, String command, ThrowingMain main) {}

  @FunctionalInterface
  public interface ThrowingMain {
    void run(String[] args) throws Exception;
  }

  public static final Map<String, Entry> ALL = new LinkedHashMap<>();

  static {
    ALL.put("verify", new Entry("Answer verification (one thread, R1-style completions)",
        "scripts/aha bench --only verify", args -> aha.verify.VerifyBenchmark.main(sharedArgs("--seconds", "5"))));
    ALL.put("teacher", new Entry("Teacher client against the local teacher server (same machine)",
        "scripts/aha bench --only teacher", aha.teacher.TeacherBenchmark::main));
    ALL.put("model", new Entry("Model: training fwd+bwd and generation tokens/s, achieved GFLOP/s (tiny student)",
        "scripts/aha bench --only model", args -> aha.model.ModelBenchmark.main(new String[] {"16", "128", "10"})));
    ALL.put("filter", new Entry("Filter stage on synthetic Countdown generations (Direct and Spark local[2])",
        "scripts/aha bench --only filter", Benchmarks::filter));
    ALL.put("scaling", new Entry("Filter stage scaling: Direct, Spark local[2] and a standalone cluster on this machine",
        "scripts/aha bench --only scaling", Benchmarks::scaling));
    ALL.put("prepare", new Entry("Prepare stage (Beam, DirectRunner)", "scripts/aha bench --only prepare",
        PrepareBenchmark::main));
    ALL.put("eval", new Entry("Eval generation and scoring (tiny student, Countdown prompts)", "scripts/aha bench --only eval",
        aha.eval.EvalBenchmark::main));
    ALL.put("sft", new Entry("SFT of the tiny student on verified Countdown traces (local teacher)",
        "scripts/aha bench --only sft", args -> aha.sft.SftBenchmark.main(new String[] {"--steps", "100", "--eval", "100"})));
    ALL.put("grpo", new Entry("GRPO steps: rollout and update time, tokens/s (built-in student shape)",
        "scripts/aha bench --only grpo", args -> GrpoBenchmark.main(new String[] {"--steps", "4"})));
    ALL.put("e2e", new Entry("End to end: stage times of the built-in recipe", "scripts/aha bench --only e2e",
        EndToEndBenchmark::main));
  }

  private static void filter(String[] args) throws Exception {
    System.out.println("| generations | runner | wall time | generations/s | kept |");
    System.out.println("| ---: | --- | ---: | ---: | ---: |");
    for (long n : new long[] {20_000, 100_000}) {
      for (aha.stage.Runner runner : aha.stage.Runner.values()) {
        Path dir = Files.createTempDirectory("aha-bench-filter");
        var r = aha.filter.FilterBenchmark.run(n, runner, dir, aha.filter.Verifiers.BUILT_IN);
        System.out.printf("| %,d | %s | %.1f s | %,.0f | %,d |%n", n, runner, r.seconds(), r.generationsPerSecond(),
            r.counters().getOrDefault("filter.kept", 0L));
      }
    }
    System.out.println();
    System.out.println("Four generations per problem, half of them correct; the built-in countdown verifier; "
        + "includes pipeline start-up. 1M generations is `java ... aha.filter.FilterBenchmark 1000000 spark`.");
  }

  /**
   * Sizes from {@code AHA_BENCH_SCALING_SIZES} (e.g. {@code 100000}), else 100k and 1M generations:
   * 1M takes about two minutes per runner on 2 cores since WriteSplit no longer groups every row.
   */
  private static void scaling(String[] args) throws Exception {
    String sizes = System.getenv().getOrDefault("AHA_BENCH_SCALING_SIZES", "100000,1000000");
    aha.cluster.ScalingBenchmark.print(new String[] {"--workload", "filter", "--sizes", sizes}, System.out);
    System.out.println();
    System.out.println("Synthetic Countdown generations (four per problem, half correct; `FilterBenchmark.writeGenerations`) "
        + "in 4 Parquet files; the built-in countdown verifier, near-duplicate detection, pass-rate prompts. The time is the "
        + "stage alone, with the Spark context's start; on the cluster also the executor's start and jar fetch. "
        + "The cluster is one worker with 2 cores on the same 2 cores as the driver, so it shows the cost of the cluster path, "
        + "not a speed-up. Other sizes and runners: `make bench-scaling WORKLOAD=filter SIZES=100000,1000000 "
        + "ARGS=\"--runners direct,local,cluster\"`.");
  }

  /** Adds {@code --shared DIR} when the reference data sets beside the checkout exist. */
  private static String[] sharedArgs(String... rest) {
    java.util.List<String> args = new java.util.ArrayList<>(List.of(rest));
    Path shared = Path.of(System.getProperty("aha.shared.dir", "../shared"));
    if (Files.isDirectory(shared.resolve("datasets"))) {
      args.add("--shared");
      args.add(shared.toString());
    }
    return args.toArray(new String[0]);
  }

  private Benchmarks() {}

  /**
   * Runs the named benchmarks (all when {@code only} is empty) and writes the report. With {@code
   * only}, an existing report keeps its other sections (and any notes written into them): each
   * section run replaces the one with its title, or is appended.
   */
  public static void write(Path output, List<String> only) throws IOException {
    Map<String, String> sections = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : ALL.entrySet()) {
      if (!only.isEmpty() && !only.contains(e.getKey())) continue;
      Entry b = e.getValue();
      System.err.println("bench: " + e.getKey() + " ...");
      sections.put(b.title(), "## " + b.title() + "\n\nCommand: `" + b.command() + "`\n\n" + capture(b.main()) + "\n");
    }
    String md = !only.isEmpty() && Files.exists(output)
        ? splice(Files.readString(output), sections)
        : header() + String.join("", sections.values());
    Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
    if (output.toAbsolutePath().getParent() != null) Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(tmp, md);
    Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.print(String.join("", sections.values()));
  }

  private static String header() {
    return "# Benchmarks\n\n"
        + "Written by `make bench` (`scripts/aha bench --output docs/benchmarks.md`); each section names\n"
        + "the command that reruns it alone. Figures are from one run: on a shared 2-core VM expect\n"
        + "±30% between runs.\n\n"
        + "Machine: " + Machine.describe() + "  \n"
        + "Date: " + Instant.now() + "\n\n";
  }

  /**
   * {@code report} with each of {@code sections} (title to its full text, heading included) in
   * place of the section headed {@code ## title}, which runs to the next {@code ## } heading; a
   * title the report lacks is appended.
   */
  static String splice(String report, Map<String, String> sections) {
    List<String> lines = report.lines().toList();
    StringBuilder out = new StringBuilder();
    Set<String> placed = new HashSet<>();
    String replacing = null;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        String title = line.substring(3).strip();
        replacing = sections.containsKey(title) ? title : null;
        if (replacing != null && placed.add(title)) out.append(sections.get(title));
      }
      if (replacing == null) out.append(line).append('\n');
    }
    sections.forEach((title, text) -> {
      if (!placed.contains(title)) out.append(out.toString().endsWith("\n\n") ? "" : "\n").append(text);
    });
    return out.toString();
  }

  private static String capture(ThrowingMain main) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(p);
      main.run(new String[0]);
    } catch (Exception e) {
      return buf.toString(StandardCharsets.UTF_8) + "\n**failed:** " + e + "\n";
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
