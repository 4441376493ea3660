package aha.grpo.stage;

import aha.verify.Reflection;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.model.CausalLM;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SafeTensors;
import aha.model.SamplingParams;
import aha.model.TinyStudent;
import aha.model.chat.ChatMessage;
import aha.model.tokenizer.TextTokenizer;
import aha.recipe.RecipeLoader;
import aha.stage.StageRunner;
import aha.teacher.ChatRequest;
import aha.teacher.LocalTeacher;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures the built-in Countdown recipe's GRPO settings on this machine (not a test: minutes of
 * CPU). Two commands, run from the repository root with the jar's classpath:
 *
 * <pre>
 * sft  OUT SECONDS          prepare (30k short Countdown problems, 400 held out), local-teacher traces
 *                           (verbosity 1, no slips), SFT of the tiny student for SECONDS, evaluation
 * grpo OUT GRPO_YAML        the grpo stage of GRPO_YAML (its body, without model/from) from OUT's SFT
 *                           checkpoint through the StageRunner, then the same evaluation
 * </pre>
 *
 * The evaluation is held-out pass@1 on the 400 eval problems: greedy, and sampled at T=0.7 (two
 * samples each), with standard errors. The SFT here is a plain stand-in for the sft stage
 * (AdamW-less Adam, lr 3e-3 with 50 warm-up steps and cosine decay to 10%, batch 32, loss on the
 * completion).
 */
public final class CountdownCalibration {
  private static final String PREPARE =
      """
      name: calibration
      seed: 42
      stages:
        - type: prepare
          source: {generator: countdown, count: 30000, numbers: 3, max_number: 12, max_target: 60, style: short}
          eval_holdout: 400
      """;

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[1]).toAbsolutePath();
    Files.createDirectories(out);
    if (args[0].equals("sft")) {
      sft(out, Double.parseDouble(args[2]));
    } else {
      grpo(out, Files.readString(Path.of(args[2])));
    }
  }

  static Path runRecipe(Path out, String text) throws Exception {
    Path recipe = out.resolve("recipe.yaml");
    Files.writeString(recipe, text);
    StageRunner.Options o =
        new StageRunner.Options(aha.stage.Runner.DIRECT, null, false, null, out, false);
    new StageRunner(o, System.err).run(RecipeLoader.load(recipe), recipe);
    return out.resolve("calibration");
  }

  static List<Problem> split(Path run, String split) {
    return ParquetFiles.readAll(
        ParquetFiles.split(run.resolve("01-prepare/data"), split), Problem::fromAvro);
  }

  static void sft(Path out, double seconds) throws Exception {
    Path run = runRecipe(out, PREPARE);
    List<Problem> train = split(run, "train");
    List<Problem> eval = split(run, "eval");
    LocalTeacher teacher = new LocalTeacher(new LocalTeacher.Options(0.0, 0.5, 42, 1, false));
    Path init = out.resolve("init");
    if (!Files.exists(init.resolve("config.json")))
      TinyStudent.defaults(42).write(init, SafeTensors.Dtype.F32);
    try (NDManager manager = NDManager.newBaseManager();
        Checkpoint ck = Checkpoint.load(init, manager)) {
      TextTokenizer tok = ck.tokenizer();
      int eos = tok.tokenId("<|im_end|>");
      List<long[]> seqs = new ArrayList<>();
      List<Integer> promptLens = new ArrayList<>();
      long chars = 0;
      for (Problem p : train) {
        ChatRequest req =
            new ChatRequest(
                LocalTeacher.MODEL,
                List.of(aha.teacher.ChatMessage.user(p.problem())),
                1,
                0.6,
                0.95,
                1024,
                Map.of("seed", (Object) Math.abs(p.id().hashCode())),
                false);
        String content = teacher.complete(req).get(0).content();
        long[] prompt = promptIds(ck, p.problem());
        long[] completion = tok.encode(content);
        long[] all = new long[prompt.length + completion.length + 1];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(completion, 0, all, prompt.length, completion.length);
        all[all.length - 1] = eos;
        chars += completion.length;
        seqs.add(all);
        promptLens.add(prompt.length);
      }
      System.err.printf(
          "sft: %d traces, mean completion %.1f tokens; example:%n%s%n",
          seqs.size(),
          chars / (double) seqs.size(),
          teacher
              .complete(ChatRequest.of(LocalTeacher.MODEL, train.get(0).problem()))
              .get(0)
              .content());
      CausalLM lm = ck.model();
      lm.parameters().values().forEach(p -> p.setRequiresGradient(true));
      Adam adam = new Adam(lm.parameters(), 0.9, 0.95, 1e-8, 1.0, lm.manager());
      Random rng = new Random(42);
      long start = System.nanoTime();
      int step = 0;
      long tokens = 0;
      while ((System.nanoTime() - start) / 1e9 < seconds) {
        step++;
        double progress = (System.nanoTime() - start) / 1e9 / seconds;
        double lr =
            step <= 50
                ? 3e-3 * step / 50.0
                : 3e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
        int b = 32;
        int[] pick = new int[b];
        int width = 0;
        for (int i = 0; i < b; i++) {
          pick[i] = rng.nextInt(seqs.size());
          width = Math.max(width, seqs.get(pick[i]).length);
        }
        long[] ids = new long[b * width];
        long[] mask = new long[b * width];
        float[] lossMask = new float[b * (width - 1)];
        for (int i = 0; i < b; i++) {
          long[] s = seqs.get(pick[i]);
          for (int j = 0; j < s.length; j++) {
            ids[i * width + j] = s[j];
            mask[i * width + j] = 1;
            // position j-1 predicts token j: learn the completion and its EOS only
            if (j >= promptLens.get(pick[i])) lossMask[i * (width - 1) + j - 1] = 1;
          }
          tokens += s.length - promptLens.get(pick[i]);
        }
        float loss;
        try (NDScope scope = new NDScope()) {
          NDManager m = lm.manager();
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray lp =
                lm.tokenLogProbs(
                    m.create(ids, new Shape(b, width)), m.create(mask, new Shape(b, width)));
            NDArray lm2 = m.create(lossMask, new Shape(b, width - 1));
            NDArray l = lp.mul(lm2).sum().neg().div(lm2.sum());
            gc.backward(l);
            loss = l.getFloat();
          }
        }
        adam.step(lr);
        if (step % 100 == 0) {
          double el = (System.nanoTime() - start) / 1e9;
          System.err.printf(
              "sft: step %d loss %.4f lr %.2e %.0f s %.0f tok/s%n",
              step, loss, lr, el, tokens / el);
        }
      }
      lm.parameters().values().forEach(p -> p.setRequiresGradient(false));
      Checkpoint.save(
          out.resolve("sft-checkpoint"),
          lm,
          tok,
          ck.chatTemplate(),
          ck.eosTokenIds(),
          SafeTensors.Dtype.F32);
      System.err.printf("sft: %d steps in %.0f s%n", step, seconds);
      evaluate("sft", ck, eval);
    }
  }

  static void grpo(Path out, String grpoBody) throws Exception {
    String text =
        PREPARE
            + "  - type: grpo\n    model: {path: "
            + out.resolve("sft-checkpoint")
            + "}\n"
            + grpoBody.strip().indent(4);
    Path run = runRecipe(out, text);
    List<Problem> eval = split(run, "eval");
    System.err.println(Files.readString(run.resolve("02-grpo/_MANIFEST.json")));
    try (NDManager manager = NDManager.newBaseManager();
        Checkpoint ck = Checkpoint.load(run.resolve("02-grpo/checkpoint"), manager)) {
      evaluate("grpo", ck, eval);
    }
  }

  static long[] promptIds(Checkpoint ck, String problem) {
    return ck.tokenizer()
        .encode(ck.chatTemplate().render(List.of(ChatMessage.user(problem)), true));
  }

  /** Greedy and sampled (T=0.7, two samples) held-out pass@1 with standard errors. */
  static void evaluate(String label, Checkpoint ck, List<Problem> eval) {
    AnswerCheck check = new AnswerCheck("countdown");
    Generator gen = new Generator(ck.model(), ck.tokenizer(), ck.eosTokenIds());
    for (int samples : new int[] {1, 2}) {
      SamplingParams params =
          samples == 1 ? SamplingParams.greedy(400) : SamplingParams.sample(0.7, 1.0, 400, 7);
      int correct = 0;
      int n = 0;
      int reflect = 0;
      double[] perProblem = new double[eval.size()];
      long t0 = System.nanoTime();
      for (int start = 0; start < eval.size(); start += 100) {
        List<Problem> part = eval.subList(start, Math.min(eval.size(), start + 100));
        List<long[]> prompts = new ArrayList<>();
        for (Problem p : part)
          for (int k = 0; k < samples; k++) prompts.add(promptIds(ck, p.problem()));
        List<Completion> cs = gen.generate(prompts, params);
        for (int i = 0; i < cs.size(); i++) {
          Boolean ok = check.correct(part.get(i / samples), cs.get(i).text());
          if (Boolean.TRUE.equals(ok)) {
            correct++;
            perProblem[start + i / samples] += 1.0 / samples;
          }
          if (Reflection.reflects(cs.get(i).text())) reflect++;
          n++;
        }
      }
      double mean = (double) correct / n;
      double var = 0;
      for (double x : perProblem) var += (x - mean) * (x - mean);
      double se = Math.sqrt(var / (eval.size() - 1) / eval.size());
      System.out.printf(
          "%s %s pass@1 %.4f +- %.4f (%d problems x %d, reflect %.3f, %.0f s)%n",
          label,
          samples == 1 ? "greedy" : "sampled T=0.7",
          mean,
          se,
          eval.size(),
          samples,
          (double) reflect / n,
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
