package aha.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code aha.cli.Main} in a separate JVM (same classpath and flags), for kill tests. */
public final class Cli {
  private Cli() {}

  /**
   * One libtorch thread: two training runs that are compared step by step must sum floats in the
   * same order; with several threads a last-bit difference grows over the steps.
   */
  public static final java.util.Map<String, String> ONE_THREAD = java.util.Map.of("OMP_NUM_THREADS", "1");

  /** Runs the CLI to its end in a separate JVM and returns its exit code. */
  public static int run(Path log, java.util.Map<String, String> env, String... args) throws Exception {
    Process p = start(log, env, args);
    if (!p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aha " + String.join(" ", args) + " did not finish in 240 s");
    }
    return p.exitValue();
  }

  public static Process start(Path log, String... args) throws IOException {
    return start(log, java.util.Map.of(), args);
  }

  /** The same, with extra environment variables (API keys, HF_HOME, ...). */
  public static Process start(Path log, java.util.Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // the surefire JVM's own flags: --add-opens for Spark, -Dai.djl.offline for DJL
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-XX:+Ignore")) cmd.add(a);
    }
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("aha.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return pb.start();
  }
}
