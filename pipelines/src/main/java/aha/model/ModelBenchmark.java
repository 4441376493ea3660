package aha.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Speed of the model layer on this machine for the tiny recipe's student (d=128, 4 layers, 4 heads,
 * 2 KV heads, SwiGLU 352, tied 64-token vocabulary: about 0.8M parameters): training
 * forward+backward tokens/s and the achieved 6·N·tokens/s FLOP rate, then KV-cache generation
 * tokens/s at batch 1, 8 and 32. Arguments (all optional): {@code batch seq steps threads}; the
 * thread count sets libtorch's intra-op threads (default: libtorch's own choice, one per core).
 * {@code scripts/bench-model-torch.py} measures the same model in PyTorch eager.
 *
 * <p>On a shared machine, OpenMP threads that outnumber the free cores spin and slow every op down
 * by 10x or more, so the load average is printed with the figures.
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int seq = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    if (args.length > 3) {
      // read by DJL's PyTorch engine when it starts, so set before the first NDManager
      System.setProperty("ai.djl.pytorch.num_threads", args[3]);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    ModelConfig c = ModelConfig.qwen2(64, 128, 352, 4, 4, 2, 1024, true, 0, 1);
    long n = c.parameterCount();
    System.out.printf(
        "model: d=%d layers=%d heads=%d kv=%d ffn=%d vocab=%d params=%,d threads=%s cores=%d"
            + " load=%.1f%n",
        c.hiddenSize(),
        c.numHiddenLayers(),
        c.numAttentionHeads(),
        c.numKeyValueHeads(),
        c.intermediateSize(),
        c.vocabSize(),
        n,
        System.getProperty("ai.djl.pytorch.num_threads", "default"),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (NDManager m = NDManager.newBaseManager();
        CausalLM lm = CausalLM.randomInit(c, 1, m)) {
      double tps = trainTokensPerSecond(lm, m, batch, seq, steps);
      System.out.printf(
          "train fwd+bwd: batch=%d seq=%d  %.0f tokens/s  %.1f GFLOP/s (6*N*tokens/s)%n",
          batch, seq, tps, 6.0 * n * tps / 1e9);
      for (int b : new int[] {1, 8, 32}) {
        System.out.printf(
            "generate: batch=%d prompt=16 new=64  %.0f tokens/s%n",
            b, generateTokensPerSecond(lm, b));
      }
    }
    torchTwin(batch, seq, steps, args.length > 3 ? args[3] : null);
  }

  /**
   * The same model and measurements in PyTorch eager ({@code scripts/bench-model-torch.py}), when
   * Debian's {@code python3-torch} is installed: the reference the issue compares against.
   */
  static void torchTwin(int batch, int seq, int steps, String threads) {
    Path script = Path.of(System.getProperty("aha.repo.dir", ".")).resolve("scripts/bench-model-torch.py");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(),
        Integer.toString(batch), Integer.toString(seq), Integer.toString(steps)));
    if (threads != null) cmd.add(threads);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        System.out.println();
        System.out.println("PyTorch eager, same model (`/usr/bin/python3 scripts/bench-model-torch.py`):");
        out.lines().forEach(System.out::println);
        return;
      }
    } catch (java.io.IOException e) {
      // no python3: reported below like a missing torch
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.println();
    System.out.println("PyTorch eager: not measured (needs /usr/bin/python3 with torch: apt install python3-torch)");
  }

  static double trainTokensPerSecond(CausalLM lm, NDManager m, int batch, int seq, int steps) {
    Random rng = new Random(0);
    long[] ids = new long[batch * seq];
    for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(lm.config().vocabSize());
    lm.parameters().values().forEach(p -> p.setRequiresGradient(true));
    long start = 0;
    int warmup = 3;
    for (int step = 0; step < warmup + steps; step++) {
      if (step == warmup) start = System.nanoTime();
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
    lm.parameters().values().forEach(p -> p.setRequiresGradient(false));
    return (double) steps * batch * seq / seconds;
  }

  static double generateTokensPerSecond(CausalLM lm, int batch) {
    Random rng = new Random(1);
    List<long[]> prompts = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      long[] p = new long[16];
      for (int i = 0; i < p.length; i++) p[i] = rng.nextInt(lm.config().vocabSize());
      prompts.add(p);
    }
    Generator g = new Generator(lm, null, Set.of());
    SamplingParams params = SamplingParams.sample(1.0, 1.0, 64, 7);
    g.generate(prompts, params); // warm-up
    long start = System.nanoTime();
    int tokens = 0;
    for (int r = 0; r < 3; r++) {
      for (Completion c : g.generate(prompts, params)) tokens += c.tokenIds().length;
    }
    return tokens / ((System.nanoTime() - start) / 1e9);
  }
}
