package aha.stage;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Builds a Beam pipeline for the chosen runner; the work itself comes from the recipe. */
public final class Pipelines {
  private Pipelines() {}

  /**
   * @param sparkMaster {@code local[2]} by default; {@code spark://host:port} for a cluster
   * @param checks keep the DirectRunner's immutability/encodability checks (tests); off they are
   *     2.5x faster
   */
  public static Pipeline create(Runner runner, String sparkMaster, String appName, boolean checks) {
    PipelineOptions options;
    if (runner == Runner.SPARK) {
      // Spark binds to the host's address unless told otherwise; keep everything on loopback by default.
      setDefault("spark.driver.host", "127.0.0.1");
      setDefault("spark.driver.bindAddress", "127.0.0.1");
      setDefault("spark.ui.enabled", "false");
      SparkPipelineOptions o = PipelineOptionsFactory.as(SparkPipelineOptions.class);
      o.setRunner(SparkRunner.class);
      o.setSparkMaster(sparkMaster == null ? "local[2]" : sparkMaster);
      o.setEnableSparkMetricSinks(false);
      // A PCollection read twice is cached; with the default MEMORY_ONLY, a partition that does not fit
      // an executor's memory is silently recomputed, which repeats its DoFns and inflates the
      // (attempted-only) counters in the manifest. Seen at 1M problems on a 1g executor.
      o.setStorageLevel("MEMORY_AND_DISK");
      o.setAppName(appName);
      options = o;
    } else {
      DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
      o.setRunner(DirectRunner.class);
      o.setEnforceImmutability(checks);
      o.setEnforceEncodability(checks);
      o.setBlockOnRun(false);
      o.setTargetParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
      options = o;
    }
    options.setJobName(appName.replaceAll("[^A-Za-z0-9-]", "-").toLowerCase());
    return Pipeline.create(options);
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }
}
