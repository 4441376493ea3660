package aha.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.pytorch.jni.JniUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Speed of the model layer on this machine for the tiny recipe's student (d=128, 4 layers, 4 heads,
 * 2 KV heads, SwiGLU 352, tied 64-token vocabulary: about 0.8M parameters): training
 * forward+backward tokens/s and the achieved 6·N·tokens/s FLOP rate, then KV-cache generation
 * tokens/s at batch 1, 8 and 32. Arguments (all optional): {@code batch seq steps threads windows};
 * steps are training steps per window; the thread count sets libtorch's intra-op threads (default:
 * libtorch's own choice, one per core) and one inter-op thread.
 *
 * <p>When {@code AHA_TORCH_PYTHON} names a python with torch, {@code scripts/bench-model-torch.py}
 * (the same model in PyTorch eager) runs beside it at the same intra- and inter-op thread counts,
 * and every measurement alternates between the two engines window by window: a shared machine
 * slows both sides of a window alike, and each side reports its best window.
 *
 * <p>On a shared machine, OpenMP threads that outnumber the free cores spin and slow every op down
 * by 10x or more, so the load average is printed with the figures.
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  private static final int[] GENERATE_BATCHES = {1, 8, 32};
  // passed to the twin (--warmup=STEPS,GENERATIONS) so both engines warm up alike
  private static final int WARMUP_STEPS = 20;
  private static final int WARMUP_GENERATIONS = 3;

  public static void main(String[] args) throws IOException {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seq = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    if (args.length > 3) {
      // read by DJL's PyTorch engine when it starts, so set before the first NDManager
      System.setProperty("ai.djl.pytorch.num_threads", args[3]);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    int windows = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    ModelConfig c = ModelConfig.qwen2(64, 128, 352, 4, 4, 2, 1024, true, 0, 1);
    long n = c.parameterCount();
    try (NDManager m = NDManager.newBaseManager();
        CausalLM lm = CausalLM.randomInit(c, 1, m)) {
      int threads = JniUtils.getNumThreads();
      int interop = JniUtils.getNumInteropThreads();
      System.out.printf(
          "model: d=%d layers=%d heads=%d kv=%d ffn=%d vocab=%d params=%,d cores=%d%n",
          c.hiddenSize(),
          c.numHiddenLayers(),
          c.numAttentionHeads(),
          c.numKeyValueHeads(),
          c.intermediateSize(),
          c.vocabSize(),
          n,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "DJL %s, libtorch %s: threads=%d interop=%d, %s; JVM %s; load at start %.1f%n",
          Engine.getDjlVersion(),
          Engine.getInstance().getVersion(),
          threads,
          interop,
          environment("OMP_WAIT_POLICY", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"),
          jvmMemoryFlags(),
          load());
      try (TorchTwin twin = TorchTwin.start(batch, seq, steps, threads, interop)) {
        if (twin != null) System.out.println(twin.header);
        String[] rows = new String[1 + GENERATE_BATCHES.length];
        double[][] djl = new double[rows.length][windows];
        double[][] torch = new double[rows.length][windows];
        rows[0] = "train fwd+bwd batch=" + batch + " seq=" + seq;
        for (int i = 0; i < GENERATE_BATCHES.length; i++) {
          rows[i + 1] = "generate batch=" + GENERATE_BATCHES[i] + " prompt=16 new=64";
        }
        lm.parameters().values().forEach(p -> p.setRequiresGradient(true));
        // warm-up, the same on both engines (the twin's first window runs it): the JIT compiles
        // DJL's and aha's hot paths during the first few seconds, and the windows measure after
        trainTokensPerSecond(lm, m, batch, seq, WARMUP_STEPS);
        for (int w = 0; w < windows; w++) {
          djl[0][w] = trainTokensPerSecond(lm, m, batch, seq, steps);
          torch[0][w] = twin == null ? Double.NaN : twin.ask("train");
        }
        lm.parameters().values().forEach(p -> p.setRequiresGradient(false));
        for (int i = 0; i < GENERATE_BATCHES.length; i++) {
          int b = GENERATE_BATCHES[i];
          Generator g = new Generator(lm, null, Set.of());
          List<long[]> prompts = prompts(lm, b);
          generateTokensPerSecond(g, prompts, WARMUP_GENERATIONS);
          for (int w = 0; w < windows; w++) {
            djl[i + 1][w] = generateTokensPerSecond(g, prompts, 3);
            torch[i + 1][w] = twin == null ? Double.NaN : twin.ask("gen " + b);
          }
        }
        System.out.printf(
            "best of %d alternating windows (train: %d steps per window; generate: 3 runs) after"
                + " a warm-up of %d steps and %d generations per batch, load at end %.1f%n%n",
            windows, steps, WARMUP_STEPS, WARMUP_GENERATIONS, load());
        System.out.println("| measurement | DJL tokens/s | PyTorch eager tokens/s | DJL / PyTorch |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (int r = 0; r < rows.length; r++) {
          double d = best(djl[r]);
          double t = best(torch[r]);
          System.out.printf(
              "| %s | %,.0f | %s | %s |%n",
              rows[r],
              d,
              twin == null ? "-" : String.format("%,.0f", t),
              twin == null ? "-" : String.format("%.0f%%", 100 * d / t));
        }
        System.out.printf(
            "%ntrain: DJL %.1f GFLOP/s (6*N*tokens/s)%s%n",
            6.0 * n * best(djl[0]) / 1e9,
            twin == null ? "" : String.format(", PyTorch %.1f GFLOP/s", 6.0 * n * best(torch[0]) / 1e9));
        for (int r = 0; r < rows.length; r++) {
          System.out.println("windows, " + rows[r] + ": DJL " + list(djl[r])
              + (twin == null ? "" : "; PyTorch " + list(torch[r])));
        }
        if (twin == null) {
          System.out.println();
          System.out.println("PyTorch eager: not measured (set AHA_TORCH_PYTHON to a python with torch)");
        }
      }
    }
  }

  /** NAME=value for each variable (value "unset" when absent), comma-separated. */
  private static String environment(String... names) {
    return String.join(
        ", ",
        java.util.Arrays.stream(names)
            .map(v -> v + "=" + System.getenv().getOrDefault(v, "unset"))
            .toList());
  }

  /** The JVM's heap and collector flags (-Xmx, -Xmn, -XX:+Use...GC), which move these figures. */
  private static String jvmMemoryFlags() {
    return String.join(
        " ",
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:+Use"))
            .toList());
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double best(double[] windows) {
    double b = Double.NEGATIVE_INFINITY;
    for (double x : windows) b = Math.max(b, x);
    return b;
  }

  private static String list(double[] windows) {
    StringBuilder sb = new StringBuilder();
    for (double x : windows) sb.append(sb.length() == 0 ? "" : " ").append(Math.round(x));
    return sb.toString();
  }

  /**
   * {@code scripts/bench-model-torch.py --serve} under {@code AHA_TORCH_PYTHON}: the same model in
   * PyTorch eager, asked for one timing window at a time.
   */
  static final class TorchTwin implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final PrintWriter in;
    final String header;

    private TorchTwin(Process process) throws IOException {
      this.process = process;
      this.out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in =
          new PrintWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      String h = out.readLine();
      if (h == null || !h.startsWith("torch ")) {
        throw new IOException("the torch twin did not start: " + h);
      }
      this.header = "PyTorch eager (`" + System.getenv("AHA_TORCH_PYTHON")
          + " scripts/bench-model-torch.py`): " + h;
    }

    /** Null (and a line on standard output) without AHA_TORCH_PYTHON or when it cannot start. */
    static TorchTwin start(int batch, int seq, int steps, int threads, int interop) {
      String python = System.getenv("AHA_TORCH_PYTHON");
      if (python == null || python.isBlank()) return null;
      Path script =
          Path.of(System.getProperty("aha.repo.dir", ".")).resolve("scripts/bench-model-torch.py");
      List<String> cmd =
          List.of(
              python,
              script.toString(),
              Integer.toString(batch),
              Integer.toString(seq),
              Integer.toString(steps),
              Integer.toString(threads),
              "--interop=" + interop,
              "--warmup=" + WARMUP_STEPS + "," + WARMUP_GENERATIONS,
              "--serve");
      try {
        return new TorchTwin(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
      } catch (IOException e) {
        System.out.println("PyTorch eager: not measured (" + e.getMessage() + ")");
        return null;
      }
    }

    double ask(String request) throws IOException {
      in.println(request);
      String line = out.readLine();
      if (line == null) throw new IOException("the torch twin exited during '" + request + "'");
      return Double.parseDouble(line.trim());
    }

    @Override
    public void close() {
      in.println("quit");
      in.close();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroy();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroy();
      }
    }
  }

  /** One window: {@code steps} forward+backward steps; the parameters must require gradients. */
  static double trainTokensPerSecond(CausalLM lm, NDManager m, int batch, int seq, int steps) {
    Random rng = new Random(0);
    long[] ids = new long[batch * seq];
    for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(lm.config().vocabSize());
    long start = System.nanoTime();
    for (int step = 0; step < steps; step++) {
      try (NDScope scope = new NDScope()) {
        NDArray x = m.create(ids, new Shape(batch, seq));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = lm.tokenLogProbs(x, null).mean().neg();
          gc.backward(loss);
        }
        for (NDArray p : lm.parameters().values()) {
          NDArray g = p.getGradient();
          g.subi(g);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return (double) steps * batch * seq / seconds;
  }

  static List<long[]> prompts(CausalLM lm, int batch) {
    Random rng = new Random(1);
    List<long[]> prompts = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      long[] p = new long[16];
      for (int i = 0; i < p.length; i++) p[i] = rng.nextInt(lm.config().vocabSize());
      prompts.add(p);
    }
    return prompts;
  }

  /** One window: {@code runs} generations of 64 new tokens per prompt (no EOS: all run to 64). */
  static double generateTokensPerSecond(Generator g, List<long[]> prompts, int runs) {
    SamplingParams params = SamplingParams.sample(1.0, 1.0, 64, 7);
    long start = System.nanoTime();
    int tokens = 0;
    for (int r = 0; r < runs; r++) {
      for (Completion c : g.generate(prompts, params)) tokens += c.tokenIds().length;
    }
    return tokens / ((System.nanoTime() - start) / 1e9);
  }
}
