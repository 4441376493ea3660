package aha.stage;

import aha.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** What a stage may use while it runs: its output folder, its inputs, the seed and the runner. */
public final class StageContext {
  /** The Beam metrics namespace of counters that go into the manifest. */
  public static final String COUNTERS = "aha";

  private final String label;
  private final Path dir;
  private final long seed;
  private final Map<String, Path> inputs;
  private final StageRunner.Options options;
  private final Map<String, Long> counters = new TreeMap<>();
  private final Map<String, Object> summary = new TreeMap<>();
  private String progressCounter;
  private long progressTotal;

  StageContext(String label, Path dir, long seed, Map<String, Path> inputs, StageRunner.Options options) {
    this.label = label;
    this.dir = dir;
    this.seed = seed;
    this.inputs = Map.copyOf(inputs);
    this.options = options;
  }

  /**
   * A context for running one stage outside {@link StageRunner}, e.g. a test that calls a stage
   * with hand-made input folders: {@code inputs} maps stage names to finished folders. The caller
   * reads the counters from {@link #countersSoFar()}; no manifest is written.
   */
  public static StageContext standalone(String label, Path dir, long seed, Map<String, Path> inputs, StageRunner.Options options) {
    return new StageContext(label, dir, seed, inputs, options);
  }

  /** The counters added so far (a copy). */
  public Map<String, Long> countersSoFar() {
    return Map.copyOf(counters);
  }

  /** The stage's (temporary) output folder, absolute. */
  public Path dir() {
    return dir;
  }

  /**
   * A folder that outlives failed attempts of this stage ({@code <run>/.state/<NN>-<name>/}): for
   * what a rerun must not pay for twice, such as the generate stage's ledger of finished requests.
   */
  public Path stateDir() {
    String name = dir.getFileName().toString().replaceFirst("^\\.", "").replaceFirst("\\.tmp$", "");
    return dir.getParent().resolve(".state").resolve(name);
  }

  /** Adds a value reported under {@code summary} in the manifest (costs, rates). */
  public void summary(String key, Object value) {
    summary.put(key, value);
  }

  Map<String, Object> summary() {
    return summary;
  }

  /** {@code dir()/data}: Parquet splits in the Hugging Face layout. */
  public Path dataDir() {
    return dir.resolve("data");
  }

  public long seed() {
    return seed;
  }

  public Runner runner() {
    return options.runner();
  }

  /**
   * Whether every worker of the chosen runner runs on this machine (Direct, Spark {@code local[N]},
   * a standalone master on a loopback address), so a server this stage starts on 127.0.0.1 is
   * reachable from all of them.
   */
  public boolean workersOnThisHost() {
    String m = options.sparkMaster();
    return options.runner() != Runner.SPARK || m == null || m.startsWith("local")
        || m.matches("spark://(127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1\\])(:\\d+)?/?");
  }

  /** The finished folder of an earlier stage named by a reference ({@code prepare} or {@code prepare.eval}). */
  public Path input(String reference) {
    String stage = reference.contains(".") ? reference.substring(0, reference.indexOf('.')) : reference;
    Path p = inputs.get(stage);
    if (p == null) throw new IllegalStateException("stage input '" + reference + "' was not resolved");
    return p;
  }

  /** Adds to a counter reported in the manifest. */
  public void count(String name, long delta) {
    counters.merge(name, delta, Long::sum);
  }

  Map<String, Long> counters() {
    return counters;
  }

  /** A counter's value so far (after {@link #run}), or 0. */
  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** Shows {@code counter} against {@code total} (rate and ETA) while the next pipeline runs. */
  public void progress(String counter, long total) {
    this.progressCounter = counter;
    this.progressTotal = total;
  }

  public Pipeline newPipeline() {
    return Pipelines.create(options.runner(), options.sparkMaster(), "aha-" + label, options.pipelineChecks());
  }

  /**
   * Runs a pipeline to the end, printing progress for long runs, and adds its Beam counters to
   * the manifest. A {@link BadInputException} thrown inside a transform comes out as itself.
   */
  public void run(Pipeline pipeline) {
    long start = System.nanoTime();
    Set<Thread> earlierWorkers = directRunnerWorkers();
    PipelineResult result = pipeline.run();
    try {
      long lastPrint = start;
      while (result.waitUntilFinish(org.joda.time.Duration.millis(500)) == null || !result.getState().isTerminal()) {
        long now = System.nanoTime();
        if (now - lastPrint > 5_000_000_000L) {
          lastPrint = now;
          System.err.println("  " + label + ": " + progressLine(result, (now - start) / 1e9));
        }
      }
    } catch (RuntimeException e) {
      awaitWorkersOf(result, earlierWorkers, 5_000);
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BadInputException b) throw b;
      }
      throw e;
    }
    if (result.getState() != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline of stage " + label + " ended in state " + result.getState());
    }
    counters(result).forEach((k, v) -> counters.merge(k, v, Long::sum));
  }

  /**
   * A failed DirectRunner pipeline throws while its other workers may still be finishing a bundle;
   * their writes would recreate files in the stage's temp folder after the stage removed it (and
   * keep a full disk busy). Cancel the pipeline and wait, at most {@code millis}, for the worker
   * threads it started: those not in {@code earlier}, the workers that existed before it ran.
   */
  private static void awaitWorkersOf(PipelineResult result, Set<Thread> earlier, long millis) {
    try {
      result.cancel();
    } catch (IOException | RuntimeException alreadyOver) {
      // a failed pipeline may refuse to cancel; its workers are still waited for below
    }
    long deadline = System.currentTimeMillis() + millis;
    for (Thread t : directRunnerWorkers()) {
      if (earlier.contains(t) || t == Thread.currentThread()) continue;
      try {
        t.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Set<Thread> directRunnerWorkers() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("direct-runner-worker")) out.add(t);
    }
    return out;
  }

  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> out = new TreeMap<>();
    // only aha's own counters: the runners add internal ones that differ between Direct and Spark
    MetricQueryResults q = result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(COUNTERS)).build());
    for (MetricResult<Long> c : q.getCounters()) {
      Long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      out.merge(c.getName().getName(), v == null ? 0L : v, Long::sum);
    }
    return out;
  }

  private String progressLine(PipelineResult result, double seconds) {
    String counters = summary(result);
    if (progressCounter == null || progressTotal <= 0) return String.format("%.0f s, %s", seconds, counters);
    long done = 0;
    try {
      MetricsFilter one = MetricsFilter.builder()
          .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.named(COUNTERS, progressCounter)).build();
      for (MetricResult<Long> m : result.metrics().queryMetrics(one).getCounters()) {
        done += m.getAttempted() == null ? 0 : m.getAttempted();
      }
    } catch (RuntimeException e) {
      return String.format("%.0f s, running", seconds);
    }
    double rate = done / Math.max(seconds, 1e-9);
    String eta = done == 0 ? "?" : String.format("%.0f s", (progressTotal - done) / rate);
    int width = 30;
    int filled = (int) Math.min(width, width * done / progressTotal);
    return String.format("[%s%s] %d/%d %s (%.0f%%), %.1f/s, ETA %s", "#".repeat(filled), ".".repeat(width - filled),
        done, progressTotal, progressCounter, 100.0 * done / progressTotal, rate, eta);
  }

  private static String summary(PipelineResult result) {
    try {
      Map<String, Long> c = new TreeMap<>();
      MetricsFilter ours = MetricsFilter.builder()
          .addNameFilter(org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(COUNTERS)).build();
      for (MetricResult<Long> m : result.metrics().queryMetrics(ours).getCounters()) {
        c.merge(m.getName().getName(), m.getAttempted() == null ? 0 : m.getAttempted(), Long::sum);
      }
      return c.isEmpty() ? "running" : c.toString();
    } catch (RuntimeException e) {
      return "running";
    }
  }
}
