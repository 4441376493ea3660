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
 *   <li>latency hiding: completions/s against a server with a fixed latency and a fixed number of
 *       request slots (vLLM's {@code max-num-seqs}, SGLang's {@code max-running-requests}), as a
 *       fraction of that server's capacity {@code slots / latency}. With the client's concurrency
 *       equal to the slots, every request's turnaround (the answer travels back, the client parses
 *       it, the next request travels out and is parsed: a few thread wake-ups, slow on a loaded
 *       machine) leaves a slot idle, so the rate stays below capacity however fast the client is.
 *       With twice the slots in flight the server's queue covers the turnaround, as a client of
 *       vLLM or SGLang should be run ({@code max_in_flight} above the server's slots).
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
    int slots = 64;
    double capacity = slots * 1000.0 / latencyMs;
    for (int concurrency : new int[] {slots, 2 * slots}) {
      for (boolean stream : new boolean[] {false, true}) {
        Measured m = measure(concurrency, latencyMs, slots, latencyN, stream);
        System.out.printf(
            "| teacher client, %d ms fixed-latency server with %d slots, %s, concurrency %d | %.0f completions/s = %.1f%% of the"
                + " nominal capacity %.0f/s; the server's slots were busy %.1f%% of the time (mean service %.1f ms) |%n",
            latencyMs, slots, stream ? "streaming" : "non-streaming", concurrency, m.rate(), 100 * m.rate() / capacity,
            capacity, 100 * m.busy(), m.serviceMillis());
      }
    }
  }

  /**
   * One timed run.
   *
   * @param busy the share of the server's slot time that held a request (slots x wall time; with no
   *     slot limit, the client's concurrency stands for the slots): how well the client keeps the
   *     server fed, which the machine's load does not change
   * @param serviceMillis the server's mean time per request, latency included: above the nominal
   *     latency when the machine is too loaded to wake its threads on time
   */
  record Measured(double rate, double busy, double serviceMillis) {}

  /** Completions per second against a server without a slot limit. */
  static double run(int concurrency, long latencyMs, int n, boolean stream) throws Exception {
    return measure(concurrency, latencyMs, 0, n, stream).rate();
  }

  /**
   * Measures {@code n} requests, after a warm-up of n/5 (at least 16 rounds of the concurrency, and
   * with latency at least two seconds of the server's capacity, so the JIT has compiled the whole
   * path before the clock starts).
   *
   * @param slots requests the server works on at once, 0 for no limit
   */
  static Measured measure(int concurrency, long latencyMs, int slots, int n, boolean stream) throws Exception {
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults().withVerbosity(0));
    try (LocalTeacherServer server =
            LocalTeacherServer.start(
                "127.0.0.1", 0, teacher, LocalTeacherServer.Faults.latency(latencyMs), slots);
        TeacherClient client =
            new TeacherClient(
                TeacherClientConfig.defaults(server.baseUrl(), null)
                    .withConcurrency(concurrency, concurrency, concurrency * 4)
                    .withRetries(3, Duration.ofMillis(10), Duration.ofMillis(100)))) {
      int width = slots > 0 ? slots : concurrency;
      int warmUp = Math.max(concurrency * 16, n / 5);
      if (latencyMs > 0) warmUp = Math.max(warmUp, (int) (2 * width * 1000 / latencyMs));
      batch(client, warmUp, stream);
      long busy0 = server.busyNanos();
      long start = System.nanoTime();
      batch(client, n, stream);
      long nanos = System.nanoTime() - start;
      long busy = server.busyNanos() - busy0;
      return new Measured(n / (nanos / 1e9), (double) busy / ((double) width * nanos), busy / 1e6 / n);
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
