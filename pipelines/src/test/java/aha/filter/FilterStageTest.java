package aha.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.BadInputException;
import aha.dataset.Completion;
import aha.dataset.ParquetFiles;
import aha.dataset.Problem;
import aha.dataset.ProblemGenerations;
import aha.dataset.SftExample;
import aha.stage.Runner;
import aha.stage.StageContext;
import aha.stage.StageRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole filter stage on the DirectRunner, over a hand-made generate-stage folder: every row
 * is kept or rejected with the expected reason, no row is lost, and the counters agree.
 */
@Tag("slow")
class FilterStageTest {
  @TempDir static Path tmp;
  static Path generate;
  static Path prepare;
  static Path leakFile;

  static final String LONG = "A train leaves the station at 3 pm travelling at 60 miles per hour towards a city "
      + "180 miles away. Another train leaves the city at the same time. At what hour, counted on a 24 hour clock, do they meet?";
  static final String EVAL_TEXT = "How many positive whole-number divisors does the number one hundred ninety six have in total?";
  static final String FILE_TEXT = "Compute the sum of all the positive integers n below fifty for which n squared plus one is prime.";

  static final Problem P01 = Rows.countdown("p01", 16, 3, 5, 2);
  static final Problem P02 = Rows.countdown("p02", 16, 2, 3, 5); // P01 with the numbers reordered
  static final Problem P03 = Rows.math("p03", LONG, "15");
  static final Problem P04 = Rows.math("p04", "Please answer: " + EVAL_TEXT, "9"); // in prepare.eval
  static final Problem P05 = Rows.math("p05", FILE_TEXT.toUpperCase(), "7"); // in the JSONL file
  static final Problem P06 = Rows.math("p06", LONG.replace("3 pm", "3 p.m. sharp"), "15"); // near P03
  static final Problem P07 = Rows.countdown("p07", 30, 4, 6, 5);
  static final Problem P08 = Rows.countdown("p08", 21, 7, 2, 1);

  static List<Completion> input() {
    String t0 = Rows.trace(30, 1);
    List<Completion> rows = new ArrayList<>();
    rows.add(Rows.completion(P01, 0, t0, "<answer>(3+5)*2</answer>"));
    rows.add(Rows.completion(P01, 1, Rows.trace(30, 2), "<answer>3+5+2</answer>")); // incorrect
    rows.add(Rows.completion(P01, 2, t0, "<answer>(3+5)*2</answer>")); // duplicate trace of sample 0
    rows.add(Rows.completion(P01, 3, Rows.trace(30, 3), "<answer>(3+5)*2</answer>", "length")); // incomplete
    rows.add(Rows.completion(P02, 0, Rows.trace(30, 4), "<answer>(3+5)*2</answer>")); // duplicate problem
    rows.add(Rows.completion(P02, 1, Rows.trace(30, 5), "<answer>(3+5)*2</answer>")); // duplicate problem
    rows.add(Rows.completion(P03, 0, Rows.trace(30, 6), "\\boxed{15}"));
    rows.add(Rows.completion(P03, 1, Rows.trace(30, 7) + " 所以答案是十五点，我们来验证一下这个结果吧。", "\\boxed{15}")); // mixed
    rows.add(Rows.completion(P03, 2, Rows.trace(30, 8), "\\boxed{15} or maybe \\boxed{16}")); // two answers
    rows.add(Rows.completion(P04, 0, Rows.trace(30, 9), "\\boxed{9}")); // contaminated
    rows.add(Rows.completion(P05, 0, Rows.trace(30, 10), "\\boxed{7}")); // contaminated
    rows.add(Rows.completion(P06, 0, Rows.trace(30, 11), "\\boxed{15}")); // near duplicate problem
    rows.add(Rows.completion(P07, 0, Rows.trace(30, 12), "<answer>4+6+5</answer>")); // incorrect
    rows.add(Rows.completion(P07, 1, Rows.trace(30, 13), "<answer>4*6</answer>")); // incorrect
    rows.add(Rows.completion(P08, 0, Rows.trace(30, 14), "<answer>7*(2+1)</answer>"));
    rows.add(Rows.completion(P08, 1, Rows.trace(30, 15), "<answer>7*2+1</answer>")); // incorrect
    rows.add(Rows.completion(P08, 2, Rows.trace(30, 16), "<answer>(2+1)*7</answer>"));
    rows.add(Rows.completion(P08, 3, "ok", "<answer>7</answer>")); // incorrect before too short
    return rows;
  }

  static final Map<String, String> EXPECTED_REJECTIONS = new TreeMap<>(Map.ofEntries(
      Map.entry("p01#1", "incorrect"), Map.entry("p01#2", "duplicate_trace"), Map.entry("p01#3", "incomplete"),
      Map.entry("p02#0", "duplicate_problem"), Map.entry("p02#1", "duplicate_problem"),
      Map.entry("p03#1", "mixed_language"), Map.entry("p03#2", "multiple_answers"),
      Map.entry("p04#0", "contaminated"), Map.entry("p05#0", "contaminated"), Map.entry("p06#0", "near_duplicate_problem"),
      Map.entry("p07#0", "incorrect"), Map.entry("p07#1", "incorrect"), Map.entry("p08#1", "incorrect"), Map.entry("p08#3", "incorrect")));

  @BeforeAll
  static void fakeFinishedStages() throws Exception {
    generate = tmp.resolve("02-generate");
    ParquetFiles.write(generate.resolve("data/train-00000-of-00001.parquet"), ProblemGenerations.SCHEMA,
        Rows.perProblem(input()).stream().map(ProblemGenerations::toAvro).toList());
    Files.writeString(generate.resolve("_MANIFEST.json"), "{\"stage\": \"generate\"}");
    prepare = tmp.resolve("01-prepare");
    List<GenericRecord> eval = List.of(Rows.math("e1", EVAL_TEXT, "9").toAvro(), Rows.math("e2", "What is 2+2?", "4").toAvro());
    ParquetFiles.write(prepare.resolve("data/eval-00000-of-00001.parquet"), Problem.SCHEMA, eval);
    Files.writeString(prepare.resolve("_MANIFEST.json"), "{\"stage\": \"prepare\"}");
    leakFile = tmp.resolve("sets/leak.jsonl");
    Files.createDirectories(leakFile.getParent());
    Files.writeString(leakFile, "{\"problem\": \"" + FILE_TEXT + "\", \"answer\": \"7\"}\n\n{\"problem\": \"Unrelated.\"}\n");
  }

  static FilterSpec spec(List<String> against) {
    return new FilterSpec(null, "generate", "countdown", true, true, 5, null, "words", true, 0.5, 4, null, false, "all", null,
        new FilterSpec.PassRateSpec(0.1, 0.9), new FilterSpec.DedupeSpec(true, true, 0.8),
        new FilterSpec.DecontaminateSpec(8, against, false), 1);
  }

  static StageContext context(Path out) throws Exception {
    Files.createDirectories(out.resolve("data"));
    StageRunner.Options options = new StageRunner.Options(Runner.DIRECT, null, false, null, null, true);
    return StageContext.standalone("filter", out, 42, Map.of("generate", generate, "prepare", prepare), options);
  }

  @Test
  void keepsVerifiedCleanTracesAndRejectsTheRestWithReasons() throws Exception {
    Path out = tmp.resolve("03-filter");
    StageContext ctx = context(out);
    new FilterStage((Verifiers) name -> new ExactAnswers(), null).run(spec(List.of("prepare.eval", leakFile.toString())), ctx);

    List<SftExample> train = ParquetFiles.readAll(ParquetFiles.split(out.resolve("data"), "train"), SftExample::fromAvro);
    List<RejectedRow> rejected = ParquetFiles.readAll(ParquetFiles.split(out.resolve("data"), "rejected"), RejectedRow::fromAvro);
    List<Problem> prompts = ParquetFiles.readAll(ParquetFiles.split(out.resolve("data"), "prompts"), Problem::fromAvro);

    assertThat(train.stream().map(e -> e.problemId() + "#" + e.sampleIndex()).sorted())
        .containsExactly("p01#0", "p03#0", "p08#0", "p08#2");
    Map<String, String> reasons = new TreeMap<>();
    for (RejectedRow r : rejected) assertThat(reasons.put(r.completion().requestKey(), r.reason().label())).isNull();
    assertThat(reasons).isEqualTo(EXPECTED_REJECTIONS);
    assertThat(train.size() + rejected.size()).as("no row lost").isEqualTo(input().size());

    SftExample p01 = train.stream().filter(e -> e.problemId().equals("p01")).findFirst().orElseThrow();
    assertThat(p01.messages()).extracting(Completion.Message::role).containsExactly("system", "user", "assistant");
    assertThat(p01.messages().get(1).content()).isEqualTo(P01.problem());
    assertThat(p01.messages().get(2).content()).startsWith("<think>\n").contains("</think>\n<answer>(3+5)*2</answer>");
    assertThat(p01.answer()).isEqualTo("16");

    RejectedRow leak = rejected.stream().filter(r -> r.completion().problem().id().equals("p05")).findFirst().orElseThrow();
    assertThat(leak.detail()).isEqualTo(leakFile.toString());
    assertThat(leak.completion()).isEqualTo(input().get(10));
    RejectedRow near = rejected.stream().filter(r -> r.completion().problem().id().equals("p06")).findFirst().orElseThrow();
    assertThat(near.detail()).isEqualTo("duplicate of p03");

    // pass rates: p01 3/4, p08 2/4 inside [0.1, 0.9]; p03 2/3 (mixed-language row is correct), p07 0/2
    assertThat(prompts).extracting(Problem::id).containsExactlyInAnyOrder("p01", "p03", "p08");
    assertThat(prompts).filteredOn(p -> p.id().equals("p08")).first().extracting(p -> p.extra().get("pass_rate")).isEqualTo("0.5");

    Map<String, Long> c = ctx.countersSoFar();
    assertThat(c).containsEntry("filter.input", 18L).containsEntry("filter.kept", 4L).containsEntry("filter.rejected", 14L)
        .containsEntry("filter.rejected_incorrect", 5L).containsEntry("filter.rejected_duplicate_problem", 2L)
        .containsEntry("filter.rejected_contaminated", 2L).containsEntry("filter.rejected_near_duplicate_problem", 1L)
        .containsEntry("filter.rejected_duplicate_trace", 1L).containsEntry("filter.rejected_incomplete", 1L)
        .containsEntry("filter.rejected_mixed_language", 1L).containsEntry("filter.rejected_multiple_answers", 1L)
        .containsEntry("filter.contaminated.prepare.eval", 1L).containsEntry("filter.contaminated." + leakFile, 1L)
        .containsEntry("filter.eval_problems.prepare.eval", 2L).containsEntry("filter.eval_problems." + leakFile, 2L)
        .containsEntry("filter.problems", 8L).containsEntry("filter.problems_kept", 3L).containsEntry("filter.prompts", 3L)
        .containsEntry("rows.train", 4L).containsEntry("rows.rejected", 14L).containsEntry("rows.prompts", 3L)
        .containsEntry("filter.pass_rate.0.0", 1L).containsEntry("filter.pass_rate.0.5", 1L)
        .containsEntry("filter.pass_rate.0.6", 1L).containsEntry("filter.pass_rate.0.7", 1L)
        .containsEntry("filter.pass_rate.undecided", 4L);
    // the four kept traces have 42..46 words
    assertThat(c).containsEntry("filter.kept_tokens.le_0000064", 4L);

    String summary = Files.readString(out.resolve("summary.md"));
    assertThat(summary).contains("18 generations of 8 problems in; 4 kept (22.2%) from 3 problems, 14 rejected")
        .contains("| incorrect | 5 | 27.8% |").contains("| 0.5 | 1 |").contains("| <= 64 | 4 |")
        .contains("| prepare.eval | 2 | 1 |");
  }

  @Test
  void sparkRunnerGivesTheSameRowsAndCounters() throws Exception {
    Map<String, Object> direct = outputs(Runner.DIRECT, tmp.resolve("03-filter-direct"));
    Map<String, Object> spark = outputs(Runner.SPARK, tmp.resolve("03-filter-spark"));
    assertThat(spark).isEqualTo(direct);
    assertThat((List<?>) direct.get("train")).hasSize(4);
  }

  /** Sorted rows of every split and the counters, for comparing runners. */
  static Map<String, Object> outputs(Runner runner, Path out) throws Exception {
    Files.createDirectories(out.resolve("data"));
    StageRunner.Options options = new StageRunner.Options(runner, null, false, null, null, false);
    StageContext ctx = StageContext.standalone("filter", out, 42, Map.of("generate", generate, "prepare", prepare), options);
    new FilterStage((Verifiers) name -> new ExactAnswers(), null).run(spec(List.of("prepare.eval", leakFile.toString())), ctx);
    Map<String, Object> m = new TreeMap<>();
    for (String split : List.of("train", "rejected", "prompts")) {
      m.put(split, ParquetFiles.readAll(ParquetFiles.split(out.resolve("data"), split), GenericRecord::toString).stream().sorted().toList());
    }
    m.put("counters", new TreeMap<>(ctx.countersSoFar()));
    return m;
  }

  @Test
  void aMissingEvalFileIsBadInputBeforeAnythingRuns() throws Exception {
    Path out = tmp.resolve("03-filter-bad");
    StageContext ctx = context(out);
    assertThatThrownBy(() -> new FilterStage((Verifiers) name -> new ExactAnswers(), null)
        .run(spec(List.of(tmp.resolve("nope/missing.jsonl").toString())), ctx))
        .isInstanceOf(BadInputException.class).hasMessageContaining("missing.jsonl");
    assertThat(ParquetFiles.split(out.resolve("data"), "train")).isEmpty();
  }

  @Test
  void theRunnerFindsTheFilterStageAndLeavesNoFolderWhenItFails() throws Exception {
    // a filter pointed at a stage that holds no completions stops with one sentence before reading
    Path recipeFile = tmp.resolve("r.yaml");
    Files.writeString(recipeFile, """
        name: r
        seed: 3
        stages:
          - type: prepare
            name: generate
            source: {generator: countdown, count: 20}
          - type: filter
            verifier: countdown
        """);
    var recipe = aha.recipe.RecipeLoader.load(recipeFile);
    var options = new StageRunner.Options(Runner.DIRECT, null, false, null, tmp.resolve("runs"), false);
    assertThatThrownBy(() -> new StageRunner(options, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run(recipe, recipeFile))
        .isInstanceOf(aha.BadInputException.class).hasMessageContaining("holds no generations (columns: [id, problem, answer");
    try (var names = Files.list(tmp.resolve("runs/r"))) {
      assertThat(names.map(f -> f.getFileName().toString()).sorted()).containsExactly("01-generate");
    }
  }

  @Test
  void unknownVerifierNamesAreBadInput() {
    assertThatThrownBy(() -> Verifiers.BUILT_IN.forName("chemistry"))
        .isInstanceOf(aha.BadInputException.class).hasMessageContaining("verifier 'chemistry' is not built in");
  }
}
