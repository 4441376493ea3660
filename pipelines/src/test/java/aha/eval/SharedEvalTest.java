package aha.eval;

import static org.assertj.core.api.Assertions.assertThat;

import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.testing.Runs;
import aha.verify.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval stage's reading and scoring on the shared MATH-500 and Countdown files. */
@Tag("shared")
class SharedEvalTest {
  static Path shared(String rel) {
    return Path.of(System.getProperty("aha.shared.dir"), "datasets", rel);
  }

  @Test
  void referenceAnswersScoreCorrectOnEverySharedRow() throws Exception {
    Scorer scorer = new Scorer(true);
    List<Problem> countdown =
        EvalProblems.readJsonl(shared("countdown/test.jsonl"), "countdown", "countdown");
    assertThat(countdown).hasSize(100);
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(shared("countdown/test.jsonl"));
    for (int i = 0; i < countdown.size(); i++) {
      String expr = json.readTree(lines.get(i)).get("answer_expression").asText();
      Scorer.Scored s =
          scorer.score(countdown.get(i), "<think>...</think>\n<answer>" + expr + "</answer>");
      assertThat(s.verdict().kind()).as(countdown.get(i).id()).isEqualTo(Verdict.Kind.TRUE);
      assertThat(s.answer()).isEqualTo(expr.replaceAll("\\s+", ""));
      // a number used twice is wrong, whatever it evaluates to
      assertThat(
              scorer
                  .score(
                      countdown.get(i),
                      "<answer>"
                          + expr
                          + "+0*"
                          + countdown.get(i).countdown().nums().get(0)
                          + "</answer>")
                  .verdict()
                  .kind())
          .isEqualTo(Verdict.Kind.FALSE);
    }
    List<Problem> math = EvalProblems.readJsonl(shared("math500/test.jsonl"), "math", "math500");
    assertThat(math).hasSize(500);
    assertThat(math.get(0).id()).isEqualTo("test/precalculus/807.json");
    List<String> notCorrect = new ArrayList<>();
    for (Problem p : math) {
      Scorer.Scored s =
          scorer.score(p, "<think>...</think>\n<answer>$" + p.answer() + "$</answer>");
      if (s.verdict().kind() != Verdict.Kind.TRUE) notCorrect.add(p.id() + " " + s.verdict());
      // an answer the gold is not (the gold with "+ 1" appended) never passes as correct
      assertThat(scorer.score(p, "<answer>$" + p.answer() + " + 1$</answer>").verdict().kind())
          .as(p.id())
          .isNotEqualTo(Verdict.Kind.TRUE);
    }
    // every MATH-500 gold parses and its own answer verifies as correct: none is left unscorable
    assertThat(notCorrect).isEmpty();
  }

  @Test
  @Tag("slow")
  void aTinyModelIsEvaluatedOnSharedRowsThroughTheRunner(@TempDir Path tmp) throws Exception {
    Path recipe =
        Runs.writeRecipe(
            tmp,
            """
        name: shared-eval
        seed: 3
        stages:
          - type: eval
            models: [{label: base, init: tiny}]
            sets:
              - {label: math500, path: "%s", task: math, limit: 3}
              - {label: countdown, path: "%s", task: countdown, limit: 3}
            n_samples: 2
            max_new_tokens: 16
            system_prompt: "Think, then answer inside <answer></answer>."
        """
                .formatted(shared("math500/test.jsonl"), shared("countdown/test.jsonl")));
    Runs.run(recipe, tmp.resolve("out"));
    Path stage = tmp.resolve("out/shared-eval/01-eval");
    JsonNode results = new ObjectMapper().readTree(stage.resolve("results.json").toFile());
    List<SampleRow> rows =
        ParquetFiles.readAll(
            ParquetFiles.split(stage.resolve("data"), "samples"), SampleRow::fromAvro);
    assertThat(rows).hasSize(2 * 3 * 3); // 2 sets x 3 problems x (2 samples + 1 greedy)
    for (String set : List.of("math500", "countdown")) {
      JsonNode j = results.path("eval").path("base").path(set);
      assertThat(j.path("n_problems").asInt()).isEqualTo(3);
      assertThat(j.path("unscorable").asInt()).isZero();
      long correct =
          rows.stream()
              .filter(r -> r.set().equals(set) && !r.greedy() && Boolean.TRUE.equals(r.correct()))
              .count();
      assertThat(j.path("pass@1").asDouble()).isEqualTo(correct / 6.0);
    }
    assertThat(rows)
        .extracting(SampleRow::problemId)
        .contains("test/precalculus/807.json", "countdown-000");
    assertThat(rows).allMatch(r -> r.correct() != null && r.length() >= 1 && r.length() <= 16);
  }
}
