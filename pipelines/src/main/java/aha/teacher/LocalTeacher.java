package aha.teacher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * aha's stand-in for R1: it really solves the built-in task families (Countdown, multi-digit
 * arithmetic, linear equations; wording in {@link Task}) from the last user message and narrates
 * the way R1 does, inside {@code <think>...</think>}, then writes the answer in the format the
 * prompt asks for ({@code <answer>...</answer>} when any message mentions {@code <answer>}, {@code
 * \boxed{}} when one mentions {@code \boxed}; otherwise {@code <answer>} for Countdown and {@code
 * \boxed{}} for the others).
 *
 * <p>Deterministic: each completion's random choices are seeded from the options' seed, the
 * messages, the temperature, the request's {@code seed} field (if any) and the choice index, so the
 * same request always gets the same text. Send a different {@code seed} per sample index when
 * sending {@code n = 1} requests repeatedly.
 *
 * <p>Tokens are counted as characters / 4, rounded up (no tokenizer is involved; the counts are for
 * budgeting and the {@code length} finish reason).
 */
public final class LocalTeacher implements ChatBackend {
  public static final String MODEL = "aha-local-teacher";

  /**
   * @param slipRate probability that a completion has a slip (see {@link Slip})
   * @param catchRate probability that an arithmetic slip is noticed and repaired
   * @param seed mixed into every completion's seed
   * @param verbosity 0 = only the steps to the answer; 1 = R1-style attempts, "Wait," and a check
   *     (about 100-200 characters of reasoning for a 3-number Countdown); 2 = also a restatement
   *     and a final re-check
   * @param reasoningField send the reasoning in {@code reasoning_content} (like DeepSeek's API)
   *     instead of a think block in {@code content} (like vLLM without a reasoning parser)
   */
  public record Options(
      double slipRate, double catchRate, long seed, int verbosity, boolean reasoningField)
      implements java.io.Serializable {
    public Options {
      if (slipRate < 0 || slipRate > 1)
        throw new IllegalArgumentException("slip rate must be in [0, 1]");
      if (catchRate < 0 || catchRate > 1)
        throw new IllegalArgumentException("catch rate must be in [0, 1]");
      if (verbosity < 0 || verbosity > 2)
        throw new IllegalArgumentException("verbosity must be 0, 1 or 2");
    }

    public static Options defaults() {
      return new Options(0.0, 0.5, 42, 1, false);
    }

    public Options withSlipRate(double rate) {
      return new Options(rate, catchRate, seed, verbosity, reasoningField);
    }

    public Options withSeed(long value) {
      return new Options(slipRate, catchRate, value, verbosity, reasoningField);
    }

    public Options withVerbosity(int value) {
      return new Options(slipRate, catchRate, seed, value, reasoningField);
    }

    public Options withReasoningField(boolean value) {
      return new Options(slipRate, catchRate, seed, verbosity, value);
    }
  }

  /** One completion as the server sends it. */
  public record Completion(String content, String reasoning, String finishReason, int tokens) {}

  private static final String LANGUAGE_SWITCH = "让我再检查一下。没问题。";

  private final Options options;

  public LocalTeacher(Options options) {
    this.options = options;
  }

  public Options options() {
    return options;
  }

  @Override
  public String model() {
    return MODEL;
  }

  /** The {@code n} completions of one request. */
  @Override
  public List<Completion> complete(ChatRequest request) {
    List<Completion> out = new ArrayList<>();
    for (int i = 0; i < request.n(); i++) out.add(completeOne(request, i));
    return out;
  }

  /** Tokens as counted here: characters / 4, rounded up. */
  public static int tokens(String text) {
    return (text.length() + 3) / 4;
  }

  public static int promptTokens(ChatRequest request) {
    int sum = 0;
    for (ChatMessage m : request.messages()) sum += tokens(m.content());
    return sum;
  }

  Completion completeOne(ChatRequest request, int index) {
    Random rng = new Random(seedFor(request, index));
    Slip slip = Slip.draw(rng, options.slipRate(), options.catchRate());
    double temperature = request.temperature() == null ? 1.0 : request.temperature();
    Narration.Style style = new Narration.Style(rng, options.verbosity(), temperature, slip);
    String problem = lastUserMessage(request);
    Optional<Task> task = Task.parse(problem);
    String reasoning;
    String finalText;
    if (task.isEmpty()) {
      reasoning =
          "This is not a Countdown, arithmetic or linear-equation problem, so I cannot work it out.";
      finalText =
          "I'm sorry, I can only solve Countdown puzzles, multi-digit arithmetic and linear"
              + " equations; I cannot solve this problem.";
    } else {
      Narration n = solve(task.get(), style);
      reasoning = n.reasoning();
      if (slip == Slip.LANGUAGE_SWITCH) reasoning = reasoning + " " + LANGUAGE_SWITCH;
      finalText = format(task.get(), request, n.answer());
    }
    return render(
        reasoning, finalText, slip == Slip.UNCLOSED_THINK && task.isPresent(), request.maxTokens());
  }

  private Completion render(
      String reasoning, String finalText, boolean unclosed, Integer maxTokens) {
    String content;
    String reasoningOut = null;
    if (options.reasoningField()) {
      reasoningOut = reasoning;
      content = finalText;
    } else {
      content =
          unclosed
              ? "<think>\n" + reasoning + "\n" + finalText
              : "<think>\n" + reasoning + "\n</think>\n" + finalText;
    }
    String finish = "stop";
    if (maxTokens != null) {
      // the budget covers the reasoning first, then the answer, as R1 servers count it
      int budget = maxTokens * 4;
      if (reasoningOut != null && reasoningOut.length() >= budget) {
        reasoningOut = reasoningOut.substring(0, budget);
        content = "";
        finish = "length";
      } else {
        int left = budget - (reasoningOut == null ? 0 : reasoningOut.length());
        if (content.length() > left) {
          content = content.substring(0, left);
          finish = "length";
        }
      }
    }
    int tokens = tokens(content) + (reasoningOut == null ? 0 : tokens(reasoningOut));
    return new Completion(content, reasoningOut, finish, tokens);
  }

  private static Narration solve(Task task, Narration.Style style) {
    if (task instanceof Task.Countdown) return CountdownSolver.solve((Task.Countdown) task, style);
    if (task instanceof Task.Arithmetic)
      return ArithmeticSolver.solve((Task.Arithmetic) task, style);
    return LinearSolver.solve((Task.Linear) task, style);
  }

  private static String format(Task task, ChatRequest request, String answer) {
    boolean tags;
    String all = allText(request);
    if (all.contains("<answer>")) tags = true;
    else if (all.contains("\\boxed")) tags = false;
    else tags = task instanceof Task.Countdown;
    return tags ? "<answer>" + answer + "</answer>" : "\\boxed{" + answer + "}";
  }

  private static String allText(ChatRequest request) {
    StringBuilder s = new StringBuilder();
    for (ChatMessage m : request.messages()) s.append(m.content()).append('\n');
    return s.toString();
  }

  static String lastUserMessage(ChatRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      ChatMessage m = request.messages().get(i);
      if (m.role().toLowerCase(Locale.ROOT).equals("user")) return m.content();
    }
    return "";
  }

  private long seedFor(ChatRequest request, int index) {
    StringBuilder s = new StringBuilder();
    s.append(options.seed()).append('\u0000');
    for (ChatMessage m : request.messages()) {
      s.append(m.role()).append('\u0000').append(m.content()).append('\u0000');
    }
    s.append(request.temperature()).append('\u0000');
    s.append(request.extra().get("seed")).append('\u0000').append(index);
    byte[] h = sha256(s.toString());
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
    return v;
  }

  static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
