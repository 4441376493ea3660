package aha.sft;

import aha.FileTree;
import aha.dataset.Problem;
import aha.model.Checkpoint;
import aha.model.Completion;
import aha.model.Generator;
import aha.model.SamplingParams;
import aha.model.chat.ChatMessage;
import aha.prepare.CountdownGenerator;
import aha.prepare.CountdownSource;
import aha.recipe.RecipeLoader;
import aha.teacher.ChatRequest;
import aha.teacher.LocalTeacher;
import aha.verify.CountdownVerifier;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SFT of the built-in tiny student on Countdown traces from the local teacher (verified, as the
 * filter stage keeps them): training tokens/s, the loss curve, and held-out greedy pass@1 and the
 * share of completions that end with EOS, before and after. Arguments (all optional): {@code
 * --problems N --eval N --steps N --batch N --lr X --verbosity 0|1|2}.
 */
public final class SftBenchmark {
  private SftBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>(Map.of("--problems", "3000", "--eval", "200", "--steps", "150",
        "--batch", "32", "--lr", "3e-3", "--verbosity", "1"));
    for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
    int problems = Integer.parseInt(a.get("--problems"));
    int evalCount = Integer.parseInt(a.get("--eval"));
    CountdownGenerator gen = new CountdownGenerator(new CountdownSource(problems + evalCount, 3, 1, 12, 1, 60, "short"));
    LocalTeacher teacher = new LocalTeacher(LocalTeacher.Options.defaults().withSlipRate(0.1)
        .withVerbosity(Integer.parseInt(a.get("--verbosity"))));
    CountdownVerifier verifier = new CountdownVerifier();
    List<List<ChatMessage>> train = new ArrayList<>();
    List<Problem> eval = new ArrayList<>();
    for (int i = 0; i < problems + evalCount; i++) {
      Problem p = gen.generate(42, i);
      if (i >= problems) {
        eval.add(p);
        continue;
      }
      var c = teacher.complete(ChatRequest.of(LocalTeacher.MODEL, p.problem()).withSampling(0.6, 0.95, 1024)).get(0);
      String text = c.reasoning() == null || c.reasoning().isEmpty() ? c.content() : "<think>\n" + c.reasoning() + "\n</think>\n" + c.content();
      if (correct(verifier, p, text)) train.add(List.of(ChatMessage.user(p.problem()), ChatMessage.assistant(text)));
    }
    SftSpec spec = RecipeLoader.json().readValue("{\"type\": \"sft\", \"model\": {\"init\": \"tiny\"},"
        + " \"learning_rate\": " + a.get("--lr") + ", \"weight_decay\": 0.1, \"adam_beta2\": 0.95,"
        + " \"lr_scheduler_type\": \"cosine_with_min_lr\", \"min_lr_rate\": 0.1, \"warmup_ratio\": 0.05,"
        + " \"per_device_train_batch_size\": " + a.get("--batch") + ", \"max_steps\": " + a.get("--steps")
        + ", \"max_length\": 512, \"eval_steps\": 1000000, \"save_steps\": 1000000}", SftSpec.class);
    System.out.printf("%d problems, %d verified traces kept; first: %s%n%n", problems, train.size(),
        train.get(0).get(1).content().replace("\n", "\\n"));
    Path scratch = Files.createTempDirectory("aha-bench-sft");
    try (NDManager m = NDManager.newBaseManager();
        Checkpoint c = Students.open(spec.model(), train, spec.maxLength(), 42, scratch, m)) {
      long eot = ExampleEncoder.endOfTurnToken(c.tokenizer(), c.chatTemplate());
      Student s = new Student(c.model(), c.tokenizer(), c.chatTemplate(), c.eosTokenIds(), eot);
      ExampleEncoder enc = new ExampleEncoder(c.tokenizer(), c.chatTemplate(), eot, spec.maxLength());
      List<Example> examples = train.stream().map(enc::encode).toList();
      double meanLen = examples.stream().mapToInt(Example::length).average().orElse(0);
      String before = evaluate(s, eval, verifier);
      List<String> curve = new ArrayList<>();
      int steps = spec.maxSteps();
      SftTrainer t = new SftTrainer(s, examples, List.of(), spec, 42, scratch.resolve("state"), "bench", null,
          (step, row) -> {
            if (step == 1 || step % Math.max(1, steps / 10) == 0 || step == steps) {
              curve.add(String.format("| %d | %.4f | %.2e | %.2f | %.0f |", step, row.path("loss").asDouble(),
                  row.path("lr").asDouble(), row.path("grad_norm").asDouble(), row.path("tokens_per_s").asDouble()));
            }
          });
      SftTrainer.Result r = t.train();
      System.out.printf("student: %,d parameters, mean example %.0f tokens, batch %s, %d steps in %.1f s:"
          + " **%.0f training tokens/s** (%.1f steps/s)%n%n", c.model().config().parameterCount(), meanLen,
          a.get("--batch"), steps, r.trainSeconds(), r.tokensPerS(), steps / r.trainSeconds());
      System.out.println("| step | loss | lr | grad norm | tokens/s |");
      System.out.println("| ---: | ---: | ---: | ---: | ---: |");
      curve.forEach(System.out::println);
      System.out.println();
      System.out.println("| held-out (" + eval.size() + " problems, greedy) | pass@1 | ends with EOS |");
      System.out.println("| --- | ---: | ---: |");
      System.out.println("| untrained | " + before + " |");
      System.out.println("| after SFT | " + evaluate(s, eval, verifier) + " |");
      System.out.println();
      Generator g = new Generator(s.model(), s.tokenizer(), s.generationEos());
      for (Problem p : eval.subList(0, Math.min(3, eval.size()))) {
        Completion out = g.generateText(List.of(s.template().render(List.of(ChatMessage.user(p.problem())), true)),
            SamplingParams.greedy(384)).get(0);
        System.out.printf("- `%s` -> `%s` (%s, %s)%n", p.problem(), out.text().replace("\n", "\\n"),
            out.finishReason().apiName(), correct(verifier, p, out.text()) ? "correct" : "wrong");
      }
    } finally {
      FileTree.delete(scratch);
    }
  }

  private static boolean correct(CountdownVerifier v, Problem p, String completion) {
    List<Long> nums = p.countdown().nums().stream().map(Integer::longValue).toList();
    return v.verify(nums, p.countdown().target(), completion).isTrue();
  }

  /** "pass@1 | EOS rate" of greedy completions of at most 384 tokens. */
  static String evaluate(Student s, List<Problem> eval, CountdownVerifier verifier) {
    Generator g = new Generator(s.model(), s.tokenizer(), s.generationEos());
    int ok = 0;
    int stopped = 0;
    for (int i = 0; i < eval.size(); i += 50) {
      List<Problem> chunk = eval.subList(i, Math.min(eval.size(), i + 50));
      List<String> prompts = chunk.stream()
          .map(p -> s.template().render(List.of(ChatMessage.user(p.problem())), true)).toList();
      List<Completion> outs = g.generateText(prompts, SamplingParams.greedy(384));
      for (int j = 0; j < chunk.size(); j++) {
        if (correct(verifier, chunk.get(j), outs.get(j).text())) ok++;
        if (outs.get(j).finishReason() == Completion.FinishReason.STOP) stopped++;
      }
    }
    return String.format("%.1f%% | %.1f%%", 100.0 * ok / eval.size(), 100.0 * stopped / eval.size());
  }
}
