package aha.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text of report.md, built section by section. */
final class Report {
  private final StringBuilder md = new StringBuilder();

  Report(String run) {
    md.append("# Report: ").append(run).append("\n\n");
  }

  String text() {
    return md.toString();
  }

  void eval(JsonNode eval, JsonNode settings, List<String> models, List<String> sets) {
    md.append("## Held-out evaluation\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%s samples per problem at temperature %s, top_p %s, at most %s new tokens, seed %s. pass@1 is the mean over"
                + " problems of the fraction of samples verified correct, with its standard error over problems;"
                + " problems whose gold answer cannot be parsed are left out (column *unscorable*). *EOS* is the share of"
                + " completions that ended on their own before the token limit (sampled / greedy).%n%n",
            settings.path("n_samples").asText(),
            settings.path("temperature").asText(),
            settings.path("top_p").asText(),
            settings.path("max_new_tokens").asText(),
            settings.path("seed").asText()));
    md.append(
        "| model | set | pass@1 | greedy | pass@k | maj@k | mean length | reflection | EOS | problems | unscorable |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String m : models) {
      for (String s : sets) {
        JsonNode j = eval.path(m).path(s);
        if (j.isMissingNode()) continue;
        md.append("| ")
            .append(m)
            .append(" | ")
            .append(s)
            .append(" | ")
            .append(pm(j.path("pass@1"), j.path("stderr")))
            .append(" | ")
            .append(f(j.path("greedy")))
            .append(" | ")
            .append(ks(j.path("pass@k")))
            .append(" | ")
            .append(ks(j.path("maj@k")))
            .append(" | ")
            .append(f1(j.path("mean_length")))
            .append(" | ")
            .append(f(j.path("reflection_rate")))
            .append(" | ")
            .append(f(j.path("eos_rate")))
            .append(" / ")
            .append(f(j.path("greedy_eos_rate")))
            .append(" | ")
            .append(j.path("n_problems").asText())
            .append(" | ")
            .append(j.path("unscorable").asText())
            .append(" |\n");
      }
    }
    md.append("\n![pass@1 per model and set](plots/eval_pass1.png)\n\n");
  }

  void sft(Map<String, Object> sft) {
    md.append("## SFT\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%s steps; loss %s at the first step, %s at the last; last eval loss %s.%n%n",
            sft.get("steps"),
            f(sft.get("first_loss")),
            f(sft.get("final_loss")),
            f(sft.get("final_eval_loss"))));
    md.append("![SFT loss](plots/sft_loss.png)\n\n");
  }

  @SuppressWarnings("unchecked")
  void grpo(Map<String, Object> grpo, AhaMoment aha, Quotes quotes) {
    Map<String, Object> a = (Map<String, Object>) grpo.get("aha");
    md.append("## GRPO\n\n");
    Map<String, Object> early = (Map<String, Object>) grpo.get("early");
    Map<String, Object> fin = (Map<String, Object>) grpo.get("final");
    md.append(
        "| | reward | accuracy | completion length | reflection rate |\n|---|---|---|---|---|\n");
    row("early steps " + early.get("steps"), early);
    row("final steps " + fin.get("steps"), fin);
    if (a.get("before") != null) {
      row("before the aha step", (Map<String, Object>) a.get("before"));
      row("from the aha step on", (Map<String, Object>) a.get("after"));
    }
    md.append("\n### The aha step\n\n");
    md.append("Rule: the ").append(a.get("rule")).append(".\n\n");
    if (aha.step() != null) {
      md.append("**Aha step: ")
          .append(aha.step())
          .append("** of ")
          .append(grpo.get("steps"))
          .append(
              ". From this step on, reward, completion length and reflection rate rose together and stayed up; "
                  + "it is marked with a dashed red line on the plots below.\n\n");
    } else {
      md.append("**No aha step was found** in this run: ")
          .append(aha.why())
          .append(". This is an observation about this run, not a failure of the report.\n\n");
    }
    for (String s : List.of("reward", "accuracy", "completion_length", "reflection_rate")) {
      md.append("![GRPO ")
          .append(s.replace('_', ' '))
          .append("](plots/grpo_")
          .append(s)
          .append(".png)\n");
    }
    md.append("\n### Example completions\n\n");
    quote(quotes.beforeTitle(), quotes.before());
    quote(quotes.afterTitle(), quotes.after());
  }

  private void row(String label, Map<String, Object> m) {
    md.append("| ")
        .append(label)
        .append(" | ")
        .append(f(m.get("reward")))
        .append(" | ")
        .append(f(m.get("accuracy")))
        .append(" | ")
        .append(f1(m.get("completion_length")))
        .append(" | ")
        .append(f(m.get("reflection_rate")))
        .append(" |\n");
  }

  private void quote(String title, List<TrainingLog.Sample> samples) {
    md.append("#### ").append(title).append("\n\n");
    if (samples.isEmpty()) {
      md.append("(no completions were logged here)\n\n");
      return;
    }
    for (TrainingLog.Sample s : samples) {
      md.append(
          String.format(
              Locale.ROOT,
              "Step %d, problem %s, reward %s, %s, %s:%n%n",
              s.step(),
              s.problemId(),
              f(s.reward()),
              s.correct() == null ? "unscored" : s.correct() ? "correct" : "wrong",
              s.reflects() ? "reflects" : "does not reflect"));
      md.append("~~~~text\n")
          .append(s.completion().replace("~~~~", "~ ~ ~ ~"))
          .append("\n~~~~\n\n");
    }
  }

  private static String ks(JsonNode o) {
    StringBuilder b = new StringBuilder();
    o.fieldNames()
        .forEachRemaining(
            k -> b.append(b.length() == 0 ? "" : ", ").append(k).append(": ").append(f(o.get(k))));
    return b.toString();
  }

  private static String pm(JsonNode v, JsonNode e) {
    return f(v) + (e.isNumber() ? " ± " + f(e) : "");
  }

  private static String f(Object v) {
    if (v instanceof JsonNode j) v = j.isNumber() ? j.asDouble() : null;
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) return "–";
    return String.format(Locale.ROOT, "%.3f", n.doubleValue());
  }

  private static String f1(Object v) {
    if (v instanceof JsonNode j) v = j.isNumber() ? j.asDouble() : null;
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) return "–";
    return String.format(Locale.ROOT, "%.1f", n.doubleValue());
  }
}
