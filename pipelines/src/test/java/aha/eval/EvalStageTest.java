package aha.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import aha.BadInputException;
import aha.dataset.ParquetFiles;
import aha.model.SafeTensors;
import aha.model.TinyStudent;
import aha.recipe.RecipeLoader;
import aha.stage.Manifest;
import aha.stage.StageContext;
import aha.testing.Runs;
import aha.verify.MathVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval stage through the StageRunner on tiny random models: the numbers in results.json must be
 * what the per-sample Parquet rows give, and the samples must not depend on the batch size.
 */
class EvalStageTest {
  /**
   * A student that can only write digits: with one new token per completion it answers a one-digit
   * question right by chance often enough that pass@1 is neither 0 nor 1.
   */
  static Path digitStudent(Path dir) throws Exception {
    Path ckpt = dir.resolve("digits");
    new TinyStudent("0123456789", 32, 1, 2, 1, 64, 512, 7).write(ckpt, SafeTensors.Dtype.F32);
    return ckpt;
  }

  static Path digitSet(Path dir) throws Exception {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      s.append("{\"id\": \"d")
          .append(i)
          .append("\", \"problem\": \"Say ")
          .append(i)
          .append(".\", \"answer\": \"")
          .append(i)
          .append("\"}\n");
    }
    s.append("{\"id\": \"broken\", \"problem\": \"No gold.\", \"answer\": \"\"}\n");
    Path f = dir.resolve("digits.jsonl");
    Files.writeString(f, s.toString());
    return f;
  }

  static String recipe(Path model, Path set, int batchSize) {
    return """
        name: ev
        seed: 5
        stages:
          - type: prepare
            source: {generator: countdown, count: 30, numbers: 3, max_number: 12, max_target: 60, style: short}
            eval_holdout: 4
          - type: eval
            models:
              - {label: base, init: tiny}
              - {label: digits, path: "%s"}
            sets:
              - prepare.eval
              - {label: digits, path: "%s", task: math}
            n_samples: 4
            temperature: 1.0
            top_p: 1.0
            max_new_tokens: 1
            require_anchor: false
            batch_size: %d
        """
        .formatted(model, set, batchSize);
  }

  @Test
  @Tag("slow")
  void resultsAgreeWithThePerSampleRowsAndDoNotDependOnBatchSize(@TempDir Path tmp)
      throws Exception {
    Path model = digitStudent(tmp);
    Path set = digitSet(tmp);
    Runs.run(Runs.writeRecipe(tmp, recipe(model, set, 5)), tmp.resolve("a"));
    Path stage = tmp.resolve("a/ev/02-eval");
    List<SampleRow> rows =
        ParquetFiles.readAll(
            ParquetFiles.split(stage.resolve("data"), "samples"), SampleRow::fromAvro);
    JsonNode results = new ObjectMapper().readTree(stage.resolve("results.json").toFile());

    // 2 models x (4 + 11 problems) x (4 samples + 1 greedy)
    assertThat(rows).hasSize(2 * 15 * 5);
    MathVerifier verifier = new MathVerifier();
    for (SampleRow r : rows) {
      if (r.set().equals("digits")) {
        String gold = r.problemId().equals("broken") ? "" : r.problemId().substring(1);
        assertThat(r.correct())
            .as(r.toString())
            .isEqualTo(verifier.verify(gold, r.completion()).asBoolean());
      }
      assertThat(r.length()).isEqualTo(1);
      assertThat(r.finishReason()).isIn("stop", "length");
    }
    for (String m : List.of("base", "digits")) {
      for (String s : List.of("prepare.eval", "digits")) {
        JsonNode j = results.path("eval").path(m).path(s);
        Map<String, List<SampleRow>> byProblem =
            rows.stream()
                .filter(r -> r.model().equals(m) && r.set().equals(s) && !r.greedy())
                .collect(
                    Collectors.groupingBy(SampleRow::problemId, TreeMap::new, Collectors.toList()));
        List<Double> fractions = new ArrayList<>();
        int unscorable = 0;
        for (List<SampleRow> p : byProblem.values()) {
          assertThat(p).extracting(SampleRow::sampleIndex).containsExactlyInAnyOrder(0, 1, 2, 3);
          if (p.stream().allMatch(r -> r.correct() == null)) {
            unscorable++;
            continue;
          }
          fractions.add(p.stream().filter(r -> Boolean.TRUE.equals(r.correct())).count() / 4.0);
        }
        double mean = fractions.stream().mapToDouble(d -> d).average().orElseThrow();
        double var =
            fractions.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum()
                / (fractions.size() - 1);
        assertThat(j.path("pass@1").asDouble()).as(m + "/" + s).isCloseTo(mean, within(1e-12));
        assertThat(j.path("pass@k").path("1").asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(j.path("stderr").asDouble())
            .isCloseTo(Math.sqrt(var / fractions.size()), within(1e-12));
        assertThat(j.path("n_problems").asInt()).isEqualTo(fractions.size());
        assertThat(j.path("n_samples").asInt()).isEqualTo(4);
        assertThat(j.path("unscorable").asInt()).isEqualTo(unscorable);
        assertThat(j.path("pass@k").path("4").asDouble())
            .isGreaterThanOrEqualTo(j.path("pass@k").path("2").asDouble());
        assertThat(j.path("maj@k").has("4")).isTrue();
        long greedyRows =
            rows.stream()
                .filter(r -> r.model().equals(m) && r.set().equals(s) && r.greedy())
                .count();
        assertThat(greedyRows).isEqualTo(byProblem.size());
      }
    }
    // the unscorable gold is counted apart, and the digit student is sometimes right, sometimes
    // wrong
    assertThat(results.path("eval").path("digits").path("digits").path("unscorable").asInt())
        .isEqualTo(1);
    assertThat(results.path("eval").path("digits").path("digits").path("pass@1").asDouble())
        .isStrictlyBetween(0.0, 1.0);
    assertThat(results.path("throughput").path("samples_per_s").asDouble()).isPositive();
    assertThat(Manifest.read(stage).path("splits").path("samples").path("rows").asLong())
        .isEqualTo(rows.size());

    // same seed, another batch size: the same completions, sample for sample
    Runs.run(Runs.writeRecipe(tmp, recipe(model, set, 3)), tmp.resolve("b"));
    List<SampleRow> again =
        ParquetFiles.readAll(
            ParquetFiles.split(tmp.resolve("b/ev/02-eval/data"), "samples"), SampleRow::fromAvro);
    assertThat(again).isEqualTo(rows);
  }

  @Test
  void aModelNeedsExactlyOneSourceAndSetsNeedATask(@TempDir Path tmp) throws Exception {
    Path r =
        Runs.writeRecipe(
            tmp,
            """
        name: ev
        seed: 5
        stages:
          - type: prepare
            source: {generator: countdown, count: 30, numbers: 3, max_number: 12, max_target: 60}
            eval_holdout: 4
          - type: eval
            models: [{label: a, init: tiny, path: x}]
            sets: [{label: s, path: x.jsonl}]
            n_samples: 2
        """);
    assertThatThrownBy(() -> RecipeLoader.load(r))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("stages[1].models[0]")
        .hasMessageContaining("exactly one of")
        .hasMessageContaining("stages[1].sets[0].task");
  }

  @Test
  void aShortModelEntryNamesAnEarlierStage(@TempDir Path tmp) throws Exception {
    Path r =
        Runs.writeRecipe(
            tmp,
            """
        name: ev
        seed: 5
        stages:
          - type: prepare
            source: {generator: countdown, count: 30, numbers: 3, max_number: 12, max_target: 60}
            eval_holdout: 4
          - type: eval
            models: [sft]
            sets: [prepare.eval]
            n_samples: 2
        """);
    assertThatThrownBy(() -> RecipeLoader.load(r))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'sft', which is not an earlier stage");
  }

  @Test
  void aStageReferenceCanNameAnotherFolderOfThatStage(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    Path sft = run.resolve("01-sft");
    new TinyStudent("0123456789", 32, 1, 2, 1, 64, 512, 7)
        .write(sft.resolve("init"), SafeTensors.Dtype.F32);
    Path out = run.resolve(".02-eval.tmp");
    Files.createDirectories(out.resolve("data"));
    EvalSpec spec =
        new EvalSpec(
            null,
            List.of(new EvalModel("base", "sft", "init", null, null, null, null, null)),
            List.of(new EvalSet("digits", null, digitSet(tmp).toString(), "math", 3)),
            2,
            1.0,
            1.0,
            1,
            null,
            null,
            null,
            false,
            false,
            null,
            null);
    new EvalStage().run(spec, aha.stage.StageContexts.of("eval", out, 5, Map.of("sft", sft)));
    JsonNode j =
        new ObjectMapper()
            .readTree(out.resolve("results.json").toFile())
            .path("eval")
            .path("base")
            .path("digits");
    assertThat(j.path("n_problems").asInt()).isEqualTo(3);
    assertThat(j.path("greedy").isNull()).isTrue();

    EvalSpec missing =
        new EvalSpec(
            null,
            List.of(new EvalModel("base", "sft", null, null, null, null, null, null)),
            spec.sets(),
            2,
            1.0,
            1.0,
            1,
            null,
            null,
            null,
            false,
            false,
            null,
            null);
    assertThatThrownBy(
            () ->
                new EvalStage()
                    .run(missing, aha.stage.StageContexts.of("eval", out, 5, Map.of("sft", sft))))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("stage sft has no checkpoint/ folder");
  }

  @Test
  void aRerunAfterAFailureReusesFinishedPartsAndGivesTheSameRows(@TempDir Path tmp)
      throws Exception {
    Path digits = digitStudent(tmp);
    Path second = tmp.resolve("second");
    EvalSpec spec =
        new EvalSpec(
            null,
            List.of(
                new EvalModel("digits", null, null, null, digits.toString(), null, null, null),
                new EvalModel("second", null, null, null, second.toString(), null, null, null)),
            List.of(new EvalSet("digits", null, digitSet(tmp).toString(), "math", 5)),
            3,
            1.0,
            1.0,
            1,
            null,
            null,
            null,
            true,
            false,
            null,
            4);
    Path run = tmp.resolve("run");
    Path out = run.resolve(".01-eval.tmp");
    Files.createDirectories(out.resolve("data"));
    // the second model is missing: the first attempt fails after finishing the first model
    StageContext first = aha.stage.StageContexts.of("eval", out, 5, Map.of());
    assertThatThrownBy(() -> new EvalStage().run(spec, first))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("is not a folder");
    assertThat(run.resolve(".state/01-eval/parts")).isNotEmptyDirectory();

    Files.walk(digits)
        .forEach(
            f -> {
              try {
                Files.copy(f, second.resolve(digits.relativize(f)));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    StageContext again = aha.stage.StageContexts.of("eval", out, 5, Map.of());
    new EvalStage().run(spec, again);
    assertThat(again.counter("eval.parts_reused")).isEqualTo(1);
    assertThat(again.counter("eval.completions")).isEqualTo(5 * 4); // only the second model's
    assertThat(run.resolve(".state/01-eval/parts")).doesNotExist();

    Path fresh = tmp.resolve("fresh/.01-eval.tmp");
    Files.createDirectories(fresh.resolve("data"));
    new EvalStage().run(spec, aha.stage.StageContexts.of("eval", fresh, 5, Map.of()));
    assertThat(samples(out)).isEqualTo(samples(fresh));
    assertThat(new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("eval"))
        .isEqualTo(
            new ObjectMapper().readTree(fresh.resolve("results.json").toFile()).path("eval"));
  }

  static List<SampleRow> samples(Path stage) {
    return ParquetFiles.readAll(
        ParquetFiles.split(stage.resolve("data"), "samples"), SampleRow::fromAvro);
  }
}
