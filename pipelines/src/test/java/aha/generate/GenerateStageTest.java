package aha.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.WorkFailedException;
import aha.dataset.Completion;
import aha.dataset.ProblemGenerations;
import aha.dataset.ParquetFiles;
import aha.stage.Manifest;
import aha.testing.Fractions;
import aha.testing.Runs;
import aha.teacher.LocalTeacher;
import aha.teacher.LocalTeacherServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateStageTest {
  static final String PREPARE = """
      name: gen
      seed: 4
      stages:
        - type: prepare
          source: {generator: countdown, count: 40, numbers: 3, max_number: 12, max_target: 60, style: short}
          eval_holdout: 5
      """;

  static List<ProblemGenerations> rows(Path stage) {
    return ParquetFiles.readAll(ParquetFiles.split(stage.resolve("data"), "train"), ProblemGenerations::fromAvro);
  }

  static List<Completion> completions(Path stage) {
    return rows(stage).stream().flatMap(r -> r.completions().stream()).toList();
  }

  @Test
  void localTeacherGivesNumGenerationsVerifiableR1StyleCompletionsPerProblem(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, PREPARE + """
          - type: generate
            teacher: {kind: local, slip_rate: 0.0}
            num_generations: 3
            system_prompt: "Think step by step."
            prompt_template: "Puzzle: {problem}"
            sampling: {temperature: 0.6, max_tokens: 512}
        """);
    Runs.run(r, tmp.resolve("out"));
    JsonNode prep = Manifest.read(tmp.resolve("out/gen/01-prepare"));
    long problems = prep.path("splits").path("train").path("rows").asLong();
    // one row per problem, OpenR1-Math-220k style: list columns with one entry per sample
    List<ProblemGenerations> perProblem = rows(tmp.resolve("out/gen/02-generate"));
    assertThat(perProblem).hasSize((int) problems);
    assertThat(perProblem.stream().map(g -> g.problem().id()).distinct()).hasSize((int) problems);
    for (ProblemGenerations g : perProblem) {
      assertThat(g.samples()).extracting(ProblemGenerations.Sample::index).containsExactly(0, 1, 2);
      assertThat(g.model()).isEqualTo(LocalTeacher.MODEL);
      assertThat(g.anyFailed()).isFalse();
      // n per request (the local teacher's default): one request carries the three samples
      assertThat(g.samples()).extracting(ProblemGenerations.Sample::requestKey).containsOnly(g.samples().get(0).requestKey());
    }
    List<Completion> rows = completions(tmp.resolve("out/gen/02-generate"));
    assertThat(rows).hasSize((int) problems * 3);
    Pattern answer = Pattern.compile("<answer>(.*?)</answer>");
    for (Completion c : rows) {
      assertThat(c.messages()).containsExactly(new Completion.Message("system", "Think step by step."),
          new Completion.Message("user", "Puzzle: " + c.problem().problem()));
      assertThat(c.finishReason()).isEqualTo("stop");
      assertThat(c.reasoning()).isNotBlank();
      assertThat(c.assistantText()).startsWith("<think>\n").contains("</think>");
      Matcher m = answer.matcher(c.content());
      assertThat(m.find()).as(c.content()).isTrue();
      // slip rate 0: every answer reaches the target with each number once
      assertThat(Fractions.eval(m.group(1))).isEqualTo(Fractions.of(c.problem().countdown().target()));
      assertThat(Fractions.numbersIn(m.group(1))).containsExactlyInAnyOrderElementsOf(c.problem().countdown().nums());
      assertThat(c.completionTokens()).isPositive();
    }
    JsonNode m = Manifest.read(tmp.resolve("out/gen/02-generate"));
    assertThat(m.path("counters").path("generate.requests").asLong()).isEqualTo(problems);
    assertThat(m.path("inputs").get(0).path("stage").asText()).isEqualTo("prepare");
  }

  @Test
  @Tag("slow") // two generate runs
  void aRerunWithTheLocalTeacherAnswersFromTheLedgerThoughItsPortChanged(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, PREPARE + """
          - type: generate
            teacher: {kind: local}
            num_generations: 2
            sampling: {temperature: 0.6}
        """);
    Runs.run(r, tmp.resolve("out"));
    List<ProblemGenerations> first = rows(tmp.resolve("out/gen/02-generate"));
    Runs.run(r, tmp.resolve("out"), aha.stage.Runner.DIRECT, true, "generate");
    JsonNode m = Manifest.read(tmp.resolve("out/gen/02-generate"));
    // one request per problem (n = 2 in it), every one found in the ledger: nothing sent again
    assertThat(m.path("counters").path("generate.resumed_requests").asLong()).isEqualTo(first.size());
    assertThat(m.path("counters").path("generate.requests").asLong()).isZero();
    assertThat(new java.util.HashSet<>(rows(tmp.resolve("out/gen/02-generate")))).isEqualTo(new java.util.HashSet<>(first));
  }

  @Test
  void aFlakyServerStillGivesEveryCompletionAndRetriesAreCounted(@TempDir Path tmp) throws Exception {
    var faults = new LocalTeacherServer.Faults(0.15, 1, 0.15, 0.1, 0.05, 0, 0);
    try (LocalTeacherServer server = LocalTeacherServer.start("127.0.0.1", 0,
        new LocalTeacher(LocalTeacher.Options.defaults()), faults)) {
      Path r = Runs.writeRecipe(tmp, PREPARE + """
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1, max_attempts: 20}
              num_generations: 2
              sampling: {temperature: 0.6}
          """.formatted(server.baseUrl()));
      Runs.run(r, tmp.resolve("out"));
      JsonNode m = Manifest.read(tmp.resolve("out/gen/02-generate"));
      long problems = Manifest.read(tmp.resolve("out/gen/01-prepare")).path("splits").path("train").path("rows").asLong();
      assertThat(m.path("splits").path("train").path("rows").asLong()).isEqualTo(problems);
      List<ProblemGenerations> rows = rows(tmp.resolve("out/gen/02-generate"));
      assertThat(rows).allSatisfy(g -> {
        assertThat(g.samples()).extracting(ProblemGenerations.Sample::index).containsExactly(0, 1);
        assertThat(g.samples()).allMatch(sample -> !sample.failed() && !sample.content().isEmpty());
        // n = 1 per request: each sample has its own request and ledger key
        assertThat(g.samples().get(0).requestKey()).isNotEqualTo(g.samples().get(1).requestKey());
      });
      long retries = 0;
      for (var it = m.path("counters").fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().startsWith("generate.retry.")) retries += e.getValue().asLong();
      }
      assertThat(retries).isPositive();
      assertThat(server.bodiesServedMoreThanOnce()).isZero();
    }
  }

  @Test
  void aSpentBudgetFailsCleanlyAndTheRerunPaysOnlyForTheRest(@TempDir Path tmp) throws Exception {
    try (LocalTeacherServer server = LocalTeacherServer.start(new LocalTeacher(LocalTeacher.Options.defaults()))) {
      Function<Integer, String> recipe = budget -> PREPARE + """
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1}
              num_generations: 2
              sampling: {temperature: 0.6}
              max_requests: %d
          """.formatted(server.baseUrl(), budget);
      Path r = Runs.writeRecipe(tmp, recipe.apply(20));
      assertThatThrownBy(() -> Runs.run(r, tmp.resolve("out")))
          .isInstanceOf(WorkFailedException.class)
          .hasMessageContaining("got no completion for some samples")
          .hasMessageContaining("max_requests budget of 20");
      assertThat(Files.exists(tmp.resolve("out/gen/02-generate"))).isFalse();
      // the failed rows stay visible in the state folder, every sample with its completion or its reason
      List<ProblemGenerations> failed = ParquetFiles.readAll(
          ParquetFiles.split(tmp.resolve("out/gen/.state/02-generate/failed"), "failed"), ProblemGenerations::fromAvro);
      assertThat(failed).isNotEmpty().allSatisfy(g -> assertThat(g.samples()).hasSize(2).anyMatch(ProblemGenerations.Sample::failed));
      assertThat(failed.stream().flatMap(g -> g.samples().stream()).filter(ProblemGenerations.Sample::failed))
          .allMatch(sample -> sample.failure().contains("max_requests budget of 20") && sample.content().isEmpty());
      assertThat(server.completionsServed()).isEqualTo(20); // n = 1 per request for kind: openai
      long problems = Manifest.read(tmp.resolve("out/gen/01-prepare")).path("splits").path("train").path("rows").asLong();

      Runs.writeRecipe(tmp, recipe.apply(0));
      Runs.run(r, tmp.resolve("out"), aha.stage.Runner.DIRECT, true, "generate");
      // the 20 finished requests came from the ledger: only the rest were sent
      assertThat(server.completionsServed()).isEqualTo(problems * 2);
      JsonNode m = Manifest.read(tmp.resolve("out/gen/02-generate"));
      assertThat(m.path("counters").path("generate.resumed_requests").asLong()).isEqualTo(20);
      assertThat(completions(tmp.resolve("out/gen/02-generate"))).hasSize((int) problems * 2);
    }
  }

  @Test
  @Tag("slow") // generate and filter
  void withAllowFailuresFailedSamplesAreKeptWithTheirReasonAndTheFilterRejectsThem(@TempDir Path tmp) throws Exception {
    try (LocalTeacherServer server = LocalTeacherServer.start(new LocalTeacher(LocalTeacher.Options.defaults()))) {
      Path r = Runs.writeRecipe(tmp, PREPARE + """
            - type: generate
              teacher: {kind: openai, base_url: "%s", model: r1}
              num_generations: 2
              sampling: {temperature: 0.6}
              max_requests: 15
              allow_failures: true
            - type: filter
              verifier: countdown
          """.formatted(server.baseUrl()));
      Runs.run(r, tmp.resolve("out"));
      long problems = Manifest.read(tmp.resolve("out/gen/01-prepare")).path("splits").path("train").path("rows").asLong();
      List<ProblemGenerations> rows = rows(tmp.resolve("out/gen/02-generate"));
      assertThat(rows).hasSize((int) problems);
      List<ProblemGenerations.Sample> samples = rows.stream().flatMap(g -> g.samples().stream()).toList();
      assertThat(samples).filteredOn(sample -> !sample.failed()).hasSize(15).allMatch(sample -> !sample.content().isEmpty());
      assertThat(samples).filteredOn(ProblemGenerations.Sample::failed).hasSize((int) problems * 2 - 15)
          .allMatch(sample -> sample.failure().contains("max_requests") && sample.content().isEmpty());
      JsonNode gen = Manifest.read(tmp.resolve("out/gen/02-generate"));
      assertThat(gen.path("counters").path("generate.failed_samples").asLong()).isEqualTo(problems * 2 - 15);
      JsonNode filter = Manifest.read(tmp.resolve("out/gen/03-filter"));
      assertThat(filter.path("counters").path("filter.rejected_failed").asLong()).isEqualTo(problems * 2 - 15);
      assertThat(filter.path("counters").path("filter.input").asLong()).isEqualTo(problems * 2);
      assertThat(filter.path("counters").path("filter.kept").asLong() + filter.path("counters").path("filter.rejected").asLong())
          .isEqualTo(problems * 2);

      // what a user sees: the list columns of generate, and the filter's rejected rows with reasons
      var shown = aha.testing.InProcess.cli("inspect", tmp.resolve("out/gen/02-generate").toString(), "--rows", "2", "--width", "30");
      assertThat(shown.code()).as(shown.err()).isZero();
      assertThat(shown.out()).contains("generations: list<string>", "finish_reasons: list<string>",
          "usage: list<struct<prompt_tokens: long, completion_tokens: long>>", "failures: list<string>", "model: \"r1\"",
          "more chars)");
      var filtered = aha.testing.InProcess.cli("inspect", tmp.resolve("out/gen/03-filter").toString(), "--rows", "1000");
      assertThat(filtered.out()).contains("== rejected: ", "reason: \"failed\"", "reason_detail: \"the max_requests budget of 15");
    }
  }

  @Test
  void aMissingApiKeyVariableIsBadInputNamingIt(@TempDir Path tmp) throws Exception {
    Path r = Runs.writeRecipe(tmp, PREPARE + """
          - type: generate
            teacher: {kind: openai, base_url: "http://127.0.0.1:9/v1", model: r1, api_key_env: AHA_TEST_UNSET_KEY}
            num_generations: 1
            sampling: {temperature: 0.6}
        """);
    assertThatThrownBy(() -> Runs.run(r, tmp.resolve("out")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("AHA_TEST_UNSET_KEY");
  }
}
