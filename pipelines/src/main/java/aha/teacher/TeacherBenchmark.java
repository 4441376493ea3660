package aha.teacher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Throughput of {@link TeacherClient} against the local teacher on 127.0.0.1, printed as markdown
 * table rows for {@code make bench}:
 *
 * <ul>
 *   <li>client overhead: completions/s against an instant server (no latency; the server's work is
 *       one tiny arithmetic problem, and it shares the CPU cores with the client)
 *   <li>latency hiding: completions/s against a server with a fixed latency, as a fraction of that
 *       server's capacity at the client's concurrency ({@code concurrency / latency})
 * </ul>
 *
 * Usage: {@code java -cp ... aha.teacher.TeacherBenchmark [--quick]}
 */
public final class TeacherBenchmark {
  private TeacherBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    int instantN = quick ? 3_000 : 20_000;
    int latencyN = quick ? 1_000 : 4_000;
    System.out.println("| benchmark | result |");
    System.out.println("|---|---|");
    for (boolean stream : new boolean[] {false, true}) {
      for (int concurrency : new int[] {8, 64}) {
        double rate = run(concurrency, 0, instantN, stream);
        System.out.printf(
            "| teacher client, instant local server, %s, concurrency %d | %.0f completions/s |%n",
            stream ? "streaming" : "non-streaming", concurrency, rate);
      }
    }
    long latencyMs = 50;
    int concurrency = 64;
    double ideal = concurrency * 1000.0 / latencyMs;
    for (boolean stream : new boolean[] {false, true}) {
      double rate = run(concurrency, latencyMs, latencyN, stream);
      System.out.printf(
          "| teacher client, %d ms fixed-latency server, %s, concurrency %d | %.0f completions/s = %.1f%% of the ideal %.0f/s |%n",
          latencyMs,
          stream ? "streaming" : "non-streaming",
          concurrency,
          rate,
          100 * rate / ideal,
          ideal);
    }
  }

  /** Completions per second over {@code n} requests, after a warm-up of n/5. */
  static double run(int concurrency, long latencyMs, int n, boolean stream) throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults().withVerbosity(0));
    try (LocalTeacherServer server =
            LocalTeacherServer.start(
                "127.0.0.1", 0, teacher, LocalTeacherServer.Faults.latency(latencyMs));
        TeacherClient client =
            new TeacherClient(
                TeacherClientConfig.defaults(server.baseUrl(), null)
                    .withConcurrency(concurrency, concurrency, concurrency * 4)
                    .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(100)))) {
      batch(client, Math.max(concurrency * 16, n / 5), stream); // JIT and connections warm
      long start = System.nanoTime();
      batch(client, n, stream);
      double seconds = (System.nanoTime() - start) / 1e9;
      return n / seconds;
    }
  }

  private static void batch(TeacherClient client, int n, boolean stream) {
    List<CompletableFuture<ChatResponse>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ChatRequest r =
          ChatRequest.of(LocalTeacher.MODEL, "Calculate " + (10 + i % 90) + " + " + (i % 97) + ".")
              .withStream(stream)
              .withExtra("seed", i);
      futures.add(client.submit(r));
    }
    for (CompletableFuture<ChatResponse> f : futures) f.join();
  }
}
