package aha.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone master and one worker on 127.0.0.1, started and stopped through {@code
 * scripts/spark-cluster.sh} (the same script users run), on ports free at start time so that
 * parallel runs do not collide. {@link #close()} stops both daemons and their executors.
 */
public final class StandaloneCluster implements AutoCloseable {
  private final Path repoDir;
  private final Path runDir;
  private final int port;
  private final int webUiPort;
  private boolean stopped;

  private StandaloneCluster(Path repoDir, Path runDir, int port, int webUiPort) {
    this.repoDir = repoDir;
    this.runDir = runDir;
    this.port = port;
    this.webUiPort = webUiPort;
  }

  /**
   * Starts a master and a worker with {@code cores} cores and {@code memory} (e.g. {@code 2g}).
   *
   * @param repoDir the repository root (holds {@code scripts/spark-cluster.sh})
   * @param runDir where pid files, logs and the worker's {@code work/} folder go
   */
  public static StandaloneCluster start(Path repoDir, Path runDir, int cores, String memory)
      throws IOException, InterruptedException {
    int[] ports = freePorts(3);
    StandaloneCluster c = new StandaloneCluster(repoDir, runDir, ports[0], ports[1]);
    String out = c.script(List.of("start", "--port", "" + ports[0], "--webui-port", "" + ports[1],
        "--worker-webui-port", "" + ports[2], "--cores", "" + cores, "--memory", memory, "--run-dir", runDir.toString()), 300);
    if (out == null) {
      c.close();
      throw new IllegalStateException("the standalone cluster did not start; see " + runDir + "/master.log and worker.log");
    }
    return c;
  }

  /** {@code spark://127.0.0.1:PORT} */
  public String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  public int webUiPort() {
    return webUiPort;
  }

  public Path runDir() {
    return runDir;
  }

  /** The pid in a daemon's pid file ({@code master} or {@code worker}), if the file exists. */
  public Optional<Long> pid(String daemon) throws IOException {
    Path f = runDir.resolve(daemon + ".pid");
    return Files.exists(f) ? Optional.of(Long.parseLong(Files.readString(f).trim())) : Optional.empty();
  }

  /** The master's JSON status page ({@code /json/}). */
  public String status() throws IOException, InterruptedException {
    String out = script(List.of("status", "--run-dir", runDir.toString()), 30);
    return out == null ? "not running" : out.trim();
  }

  /** Stops the worker (and its executors) and the master by their pid files; safe to call twice. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (stopped) return;
    stopped = true;
    script(List.of("stop", "--run-dir", runDir.toString()), 120);
  }

  /** Runs the script; returns its output, or null if it failed (its output then goes to stderr). */
  private String script(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(repoDir.resolve("scripts/spark-cluster.sh").toString());
    cmd.addAll(args);
    Path log = Files.createTempFile("spark-cluster", ".log");
    try {
      Process p = new ProcessBuilder(cmd).directory(repoDir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      if (!done || p.exitValue() != 0) {
        System.err.println("scripts/spark-cluster.sh " + String.join(" ", args) + (done ? " exited " + p.exitValue() : " timed out") + ":\n" + out);
        return null;
      }
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Ports the OS reports free on 127.0.0.1 now (held together so that they differ). */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) s.close();
    }
  }
}
