package aha.eval;

import aha.dataset.Problem;
import aha.model.Checkpoint;
import aha.model.Generator;
import aha.model.SafeTensors;
import aha.model.SamplingParams;
import aha.model.TinyStudent;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Eval throughput of the built-in tiny student (d=128, 4 layers, char tokenizer) on Countdown
 * prompts: completions per second and completion tokens per second through the eval stage's
 * generation and scoring path, for a few batch sizes. The model is untrained, so most completions
 * run to max_new_tokens: the worst case for a given length.
 *
 * <p>Arguments: {@code --problems N --samples N --max-new-tokens N --batch B[,B...]}.
 */
public final class EvalBenchmark {
  private EvalBenchmark() {}

  public static void main(String[] args) throws Exception {
    int problems = 16;
    int samples = 8;
    int maxNew = 128;
    String batches = "8,32,128";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--problems" -> problems = Integer.parseInt(args[i + 1]);
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--max-new-tokens" -> maxNew = Integer.parseInt(args[i + 1]);
        case "--batch" -> batches = args[i + 1];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Random rng = new Random(1);
    List<Problem> ps = new ArrayList<>();
    for (int i = 0; i < problems; i++) {
      List<Integer> nums = List.of(1 + rng.nextInt(12), 1 + rng.nextInt(12), 1 + rng.nextInt(12));
      int target = nums.get(0) * nums.get(1) - nums.get(2);
      ps.add(
          new Problem(
              "p" + i,
              "Using the numbers " + nums + ", create an equation that equals " + target + ".",
              Integer.toString(target),
              "bench",
              "countdown",
              new Problem.Countdown(nums, target),
              Map.of()));
    }
    Path dir = Files.createTempDirectory("aha-eval-bench");
    try {
      TinyStudent.defaults(1).write(dir.resolve("m"), SafeTensors.Dtype.F32);
      EvalSpec spec =
          new EvalSpec(
              null,
              List.of(),
              List.of(),
              samples,
              0.6,
              0.95,
              maxNew,
              "Think, then answer inside <answer></answer>.",
              null,
              null,
              null,
              null,
              null,
              null);
      System.out.printf(
          "Tiny student, %d Countdown problems x %d samples, temperature 0.6, top_p 0.95, up to %d new tokens,"
              + " %d threads.%n%n",
          problems, samples, maxNew, Runtime.getRuntime().availableProcessors());
      System.out.println(
          "| stops at | batch | completions | tokens | seconds | completions/s | tokens/s |");
      System.out.println("|---|---|---|---|---|---|---|");
      try (NDManager m = NDManager.newBaseManager();
          Checkpoint ckpt = Checkpoint.load(dir.resolve("m"), m)) {
        Generator gen = new Generator(ckpt.model(), ckpt.tokenizer(), ckpt.eosTokenIds());
        // without EOS every row runs to max_new_tokens: the rate a trained model with long,
        // even completions sees (an untrained one stops early and leaves rows idle)
        Generator full = new Generator(ckpt.model(), ckpt.tokenizer(), java.util.Set.of());
        List<String> prompts = EvalStage.prompts(spec, ckpt, ps, "tiny", "bench");
        Scorer scorer = new Scorer(true);
        // warm-up: first calls load natives and compile
        EvalStage.generate(
            gen,
            prompts.subList(0, 1),
            1,
            1,
            SamplingParams.sample(0.6, 0.95, 8, 1),
            (i, j, c) -> {});
        for (String b : batches.split(","))
          for (Generator g : List.of(gen, full)) {
            int batch = Integer.parseInt(b.trim());
            long[] tokens = {0};
            long t0 = System.nanoTime();
            EvalStage.generate(
                g,
                prompts,
                samples,
                batch,
                SamplingParams.sample(0.6, 0.95, maxNew, 1),
                (i, j, c) -> {
                  EvalStage.row("tiny", "bench", ps.get(i), j, false, c, scorer);
                  tokens[0] += c.tokenIds().length;
                });
            double s = (System.nanoTime() - t0) / 1e9;
            long n = (long) problems * samples;
            System.out.printf(
                "| %s | %d | %d | %d | %.1f | %.1f | %.0f |%n",
                g == gen ? "EOS" : "max_new_tokens", batch, n, tokens[0], s, n / s, tokens[0] / s);
          }
      }
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
