package aha.report;

import aha.BadInputException;
import aha.FileTree;
import aha.stage.Manifest;
import aha.stage.Stage;
import aha.stage.StageContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the finished sft, grpo and eval stages and writes, in the stage folder: {@code
 * summary.json}, {@code report.md} and {@code plots/*.png}. Once the stage is finished (manifest
 * written, folder renamed) the same files are copied to {@code <run>/report/}, the stable path of
 * DESIGN contract 8.
 */
public final class ReportStage implements Stage<ReportSpec> {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String SUMMARY = "summary.json";
  public static final String MARKDOWN = "report.md";
  public static final String PLOTS = "plots";

  /** The run-level copy: {@code <run>/report/}. */
  public static final String RUN_REPORT = "report";

  static final String[] GRPO_SERIES = {
    "reward", "accuracy", "completion_length", "reflection_rate"
  };

  @Override
  public void run(ReportSpec spec, StageContext ctx) throws Exception {
    Map<String, Path> byType = new LinkedHashMap<>();
    for (String ref : spec.from()) {
      Path dir = ctx.input(ref);
      String type = Manifest.read(dir).path("type").asText();
      if (!List.of("sft", "grpo", "eval").contains(type)) {
        throw new BadInputException(
            "report reads sft, grpo and eval stages; '" + ref + "' is a " + type + " stage");
      }
      if (byType.put(type, dir) != null)
        throw new BadInputException("report.from names two " + type + " stages; name one");
    }
    Path plots = ctx.dir().resolve(PLOTS);
    Files.createDirectories(plots);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("run", ctx.dir().getParent().getFileName().toString());
    Report md = new Report(summary.get("run").toString());
    if (byType.containsKey("eval")) evalSection(byType.get("eval"), plots, summary, md);
    if (byType.containsKey("sft")) sftSection(byType.get("sft"), plots, summary, md);
    if (byType.containsKey("grpo")) grpoSection(spec, byType.get("grpo"), plots, summary, md);
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(plots)) {
      s.map(p -> PLOTS + "/" + p.getFileName()).sorted().forEach(files::add);
    }
    summary.put("plots", files);
    writeAtomically(ctx.dir().resolve(SUMMARY), JSON.writeValueAsString(summary));
    writeAtomically(ctx.dir().resolve(MARKDOWN), md.text());
    ctx.summary(
        "aha_step",
        summary.get("grpo") instanceof Map<?, ?> g ? ((Map<?, ?>) g.get("aha")).get("step") : null);
  }

  /** Copies summary.json, report.md and plots/ to {@code <run>/report/}, replacing it whole. */
  @Override
  public void published(ReportSpec spec, Path dir) throws IOException {
    Path target = dir.getParent().resolve(RUN_REPORT);
    Path tmp = dir.getParent().resolve("." + RUN_REPORT + ".tmp");
    FileTree.delete(tmp);
    Files.createDirectories(tmp.resolve(PLOTS));
    Files.copy(dir.resolve(SUMMARY), tmp.resolve(SUMMARY));
    Files.copy(dir.resolve(MARKDOWN), tmp.resolve(MARKDOWN));
    try (Stream<Path> s = Files.list(dir.resolve(PLOTS))) {
      for (Path p : s.toList()) Files.copy(p, tmp.resolve(PLOTS).resolve(p.getFileName()));
    }
    Path old = dir.getParent().resolve("." + RUN_REPORT + ".old");
    FileTree.delete(old);
    if (Files.exists(target)) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    FileTree.delete(old);
  }

  private static void evalSection(Path dir, Path plots, Map<String, Object> summary, Report md)
      throws IOException {
    Path file = dir.resolve("results.json");
    if (!Files.isRegularFile(file)) throw new BadInputException(dir + " has no results.json");
    JsonNode results = JSON.readTree(file.toFile());
    JsonNode eval = results.path("eval");
    summary.put("eval", eval);
    summary.put("eval_settings", results.path("settings"));
    List<String> models = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    eval.fieldNames().forEachRemaining(models::add);
    for (String m : models)
      eval.get(m)
          .fieldNames()
          .forEachRemaining(
              s -> {
                if (!sets.contains(s)) sets.add(s);
              });
    double[][] values = new double[models.size()][sets.size()];
    double[][] errors = new double[models.size()][sets.size()];
    for (int m = 0; m < models.size(); m++) {
      for (int s = 0; s < sets.size(); s++) {
        JsonNode j = eval.path(models.get(m)).path(sets.get(s));
        values[m][s] = j.path("pass@1").isNumber() ? j.get("pass@1").asDouble() : Double.NaN;
        errors[m][s] = j.path("stderr").isNumber() ? j.get("stderr").asDouble() : Double.NaN;
      }
    }
    Plots.bars(
        plots.resolve("eval_pass1.png"),
        "pass@1 per model and eval set",
        sets,
        models,
        values,
        errors);
    md.eval(eval, results.path("settings"), models, sets);
  }

  private static void sftSection(Path dir, Path plots, Map<String, Object> summary, Report md)
      throws IOException {
    TrainingLog log = TrainingLog.read(dir);
    if (log.size() == 0 || !log.has("loss"))
      throw new BadInputException(dir.resolve("metrics.jsonl") + " has no loss");
    double[] loss = log.series("loss");
    double[] evalLoss = log.series("eval_loss");
    Map<String, Object> sft = new LinkedHashMap<>();
    sft.put("stage", dir.getFileName().toString());
    sft.put("steps", log.size());
    sft.put("first_loss", firstNumber(loss));
    sft.put("final_loss", lastNumber(loss));
    sft.put("final_eval_loss", lastNumber(evalLoss));
    summary.put("sft", sft);
    List<Plots.Line> lines =
        new ArrayList<>(List.of(new Plots.Line("train loss", log.steps(), loss, false)));
    if (log.has("eval_loss")) lines.add(new Plots.Line("eval loss", log.steps(), evalLoss, true));
    Plots.steps(plots.resolve("sft_loss.png"), "SFT loss", "loss", lines, null);
    md.sft(sft);
  }

  private static void grpoSection(
      ReportSpec spec, Path dir, Path plots, Map<String, Object> summary, Report md)
      throws IOException {
    TrainingLog log = TrainingLog.read(dir);
    for (String key : List.of("reward", "completion_length", "reflection_rate")) {
      if (!log.has(key))
        throw new BadInputException(
            dir.resolve("metrics.jsonl") + " has no " + key + "; the aha analytics need it");
    }
    int n = log.size();
    AhaRule rule = spec.aha();
    AhaMoment aha =
        AhaMoment.find(
            rule,
            log.series("reward"),
            log.series("completion_length"),
            log.series("reflection_rate"));
    int w = Math.min(rule.windowFor(n), n);
    int early = Math.min(rule.earlyFor(n), n);
    Map<String, Object> grpo = new LinkedHashMap<>();
    grpo.put("stage", dir.getFileName().toString());
    grpo.put("steps", n);
    grpo.put("early", windowMeans(log, 0, early));
    grpo.put("final", windowMeans(log, n - w, n));
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("step", aha.step());
    a.put("rule", rule.describe(n));
    a.put("window", rule.windowFor(n));
    a.put("early_steps", rule.earlyFor(n));
    a.put("margin", rule.marginOrDefault());
    Map<String, Object> thr = new LinkedHashMap<>();
    thr.put("reward", num(aha.thresholds()[0]));
    thr.put("completion_length", num(aha.thresholds()[1]));
    thr.put("reflection_rate", num(aha.thresholds()[2]));
    a.put("thresholds", thr);
    a.put("why_none", aha.why());
    if (aha.step() != null) {
      a.put("before", windowMeans(log, 0, aha.step() - 1));
      a.put("after", windowMeans(log, aha.step() - 1, n));
    }
    grpo.put("aha", a);
    Quotes quotes = Quotes.pick(log.samples(), aha.step(), spec.quotes(), spec.quoteChars());
    grpo.put("quotes", quotes.toJson());
    summary.put("grpo", grpo);

    double[] steps = log.steps();
    String[] titles = {
      "GRPO reward", "GRPO accuracy", "GRPO completion length", "GRPO reflection rate"
    };
    String[] units = {"mean reward", "fraction correct", "mean tokens", "fraction reflecting"};
    for (int i = 0; i < GRPO_SERIES.length; i++) {
      if (!log.has(GRPO_SERIES[i])) continue;
      double[] x = log.series(GRPO_SERIES[i]);
      List<Plots.Line> lines =
          new ArrayList<>(
              List.of(
                  new Plots.Line(GRPO_SERIES[i], steps, x, false),
                  new Plots.Line(
                      rule.windowFor(n) + "-step mean",
                      steps,
                      AhaMoment.trailingMean(x, rule.windowFor(n)),
                      true)));
      if (GRPO_SERIES[i].equals("accuracy") && log.has("accuracy_reflect")) {
        lines.add(
            new Plots.Line("accuracy (reflecting)", steps, log.series("accuracy_reflect"), false));
        lines.add(
            new Plots.Line(
                "accuracy (not reflecting)", steps, log.series("accuracy_no_reflect"), false));
      }
      Plots.steps(
          plots.resolve("grpo_" + GRPO_SERIES[i] + ".png"), titles[i], units[i], lines, aha.step());
    }
    md.grpo(grpo, aha, quotes);
  }

  /** Means over steps [from, to) (0-based) of the GRPO series that were logged. */
  static Map<String, Object> windowMeans(TrainingLog log, int from, int to) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("steps", List.of(from + 1, to));
    for (String key :
        List.of(
            "reward",
            "accuracy",
            "completion_length",
            "reflection_rate",
            "accuracy_reflect",
            "accuracy_no_reflect")) {
      if (!log.has(key)) continue;
      double[] x = log.series(key);
      double s = 0;
      int c = 0;
      for (int i = Math.max(0, from); i < Math.min(to, x.length); i++) {
        if (!Double.isNaN(x[i])) {
          s += x[i];
          c++;
        }
      }
      out.put(key, c == 0 ? null : s / c);
    }
    return out;
  }

  static Double num(double d) {
    return Double.isNaN(d) ? null : d;
  }

  private static Double firstNumber(double[] x) {
    for (double v : x) if (!Double.isNaN(v)) return v;
    return null;
  }

  private static Double lastNumber(double[] x) {
    for (int i = x.length - 1; i >= 0; i--) if (!Double.isNaN(x[i])) return x[i];
    return null;
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
