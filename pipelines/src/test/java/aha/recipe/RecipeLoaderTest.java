package aha.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aha.prepare.CountdownSource;
import aha.prepare.PrepareSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecipeLoaderTest {
  private static final String GOOD = """
      name: tiny
      seed: 7
      stages:
        - type: prepare
          source: {generator: countdown, count: 100, numbers: 3, max_number: 12, max_target: 60}
          eval_holdout: 10
      """;

  @Test
  void readsAValidRecipeWithDefaultsFilledIn() {
    Recipe r = RecipeLoader.parse(GOOD, "good.yaml");
    assertThat(r.name()).isEqualTo("tiny");
    assertThat(r.seed()).isEqualTo(7L);
    assertThat(r.outputDir()).isEqualTo("datasets");
    PrepareSpec p = (PrepareSpec) r.stages().get(0);
    assertThat(p.evalHoldout()).isEqualTo(10);
    assertThat(p.dedupe()).isTrue();
    CountdownSource c = (CountdownSource) p.source();
    assertThat(c.count()).isEqualTo(100);
    assertThat(c.minNumber()).isEqualTo(1);
    assertThat(c.style()).isEqualTo("long");
  }

  private static final String GEN = "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n"
      + "  - type: generate\n    teacher: {kind: local}\n    num_generations: 2\n";

  /** A malformed recipe and the fragments its one-sentence message must contain. */
  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("misspelt top-level key", "name: t\nsedd: 1\nstages: []\n",
            List.of("bad.yaml:2:1:", "sedd", "did you mean 'seed'")),
        Arguments.of("missing seed", "name: t\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n",
            List.of("bad.yaml:1:1:", "seed is required")),
        Arguments.of("missing name", "seed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n",
            List.of("name is required")),
        Arguments.of("misspelt stage type", "name: t\nseed: 1\nstages:\n  - type: prepar\n",
            List.of("bad.yaml:4:", "stages[0]", "'prepar' is not a stage type", "did you mean 'prepare'")),
        Arguments.of("stage without type", "name: t\nseed: 1\nstages:\n  - source: {generator: linear, count: 5}\n",
            List.of("stages[0]", "needs a 'type' key")),
        Arguments.of("misspelt stage key", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n    eval_holdot: 3\n",
            List.of("bad.yaml:6:5:", "stages[0].eval_holdot", "did you mean 'eval_holdout'")),
        Arguments.of("string for an integer", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n    eval_holdout: many\n",
            List.of("bad.yaml:6:", "stages[0].eval_holdout", "expected an integer")),
        Arguments.of("float for an integer", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 1.5}\n",
            List.of("bad.yaml:5:", "stages[0].source.count", "expected an integer")),
        Arguments.of("quoted number is not coerced", "name: t\nseed: \"12\"\nstages: []\n",
            List.of("bad.yaml:2:", "seed", "expected an integer")),
        Arguments.of("negative hold-out", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n    eval_holdout: -3\n",
            List.of("bad.yaml:6:5:", "stages[0].eval_holdout", "must be within [0, 10000000]")),
        Arguments.of("unknown generator", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: countdwn, count: 5}\n",
            List.of("bad.yaml:5:", "stages[0].source", "'countdwn' is not built in", "did you mean 'countdown'")),
        Arguments.of("generator without count", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source:\n      generator: countdown\n      numbers: 3\n",
            List.of("bad.yaml:5:5:", "stages[0].source.count is required")),
        Arguments.of("numbers out of range", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source:\n      generator: countdown\n      count: 5\n      numbers: 9\n",
            List.of("bad.yaml:8:7:", "stages[0].source.numbers must be within [2, 5], got 9")),
        Arguments.of("bad enum value", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: countdown, count: 5, style: shrt}\n",
            List.of("stages[0].source.style must be one of [long, short]", "did you mean 'short'")),
        Arguments.of("duplicate key", "name: t\nseed: 1\nseed: 2\nstages: []\n",
            List.of("bad.yaml:3:", "Duplicate field 'seed'")),
        Arguments.of("YAML syntax error", "name: t\nseed: 1\nstages:\n  - type: prepare\n   source: [\n",
            List.of("bad.yaml:", "YAML syntax error")),
        Arguments.of("empty stage list", "name: t\nseed: 1\nstages: []\n",
            List.of("bad.yaml:3:", "stages must list at least one stage")),
        Arguments.of("stages is a mapping", "name: t\nseed: 1\nstages: {type: prepare}\n",
            List.of("bad.yaml:3:", "stages expected a list")),
        Arguments.of("two stages with one name", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n  - type: prepare\n    source: {generator: linear, count: 6}\n",
            List.of("bad.yaml:6:", "stages[1].name 'prepare' is used by an earlier stage")),
        Arguments.of("missing dataset file", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {path: no/such/file.jsonl}\n",
            List.of("bad.yaml:5:", "stages[0].source.path names a file that does not exist: no/such/file.jsonl")),
        Arguments.of("unknown column mapping", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {path: pom.xml.jsonl, columns: {question: q}}\n",
            List.of("stages[0].source.columns.question must be one of")),
        Arguments.of("source with nothing to read", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {task: math}\n",
            List.of("bad.yaml:5:", "stages[0].source needs one of 'generator'")),
        Arguments.of("empty recipe", "", List.of("bad.yaml:1:1:", "the recipe is empty")),
        Arguments.of("run name with a slash", "name: a/b\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: linear, count: 5}\n",
            List.of("bad.yaml:1:", "name must be a folder name")),
        Arguments.of("min above max", "name: t\nseed: 1\nstages:\n  - type: prepare\n    source: {generator: countdown, count: 5, min_number: 20, max_number: 10}\n",
            List.of("stages[0].source.max_number must be at least min_number (20), got 10")),
        Arguments.of("generate without temperature", GEN + "    sampling: {top_p: 0.9}\n",
            List.of("bad.yaml:9:5:", "stages[1].sampling.temperature is required")),
        Arguments.of("local teacher with a base_url", GEN.replace("{kind: local}", "{kind: local, base_url: \"http://x\"}") + "    sampling: {temperature: 0.6}\n",
            List.of("bad.yaml:7:", "stages[1].teacher.base_url is set by the stage for kind: local")),
        Arguments.of("openai teacher without model", GEN.replace("{kind: local}", "{kind: openai, base_url: \"https://api.deepseek.com/v1\"}") + "    sampling: {temperature: 0.6}\n",
            List.of("stages[1].teacher.model is required")),
        Arguments.of("api key value instead of a variable name", GEN.replace("{kind: local}", "{kind: openai, base_url: \"http://h/v1\", model: m, api_key_env: \"sk-123 abc\"}") + "    sampling: {temperature: 0.6}\n",
            List.of("stages[1].teacher.api_key_env must name an environment variable")),
        Arguments.of("generate reading a split prepare does not write", GEN.replace("type: generate", "type: generate\n    from: prepare.test") + "    sampling: {temperature: 0.6}\n",
            List.of("stages[1].from refers to split 'test' of stage 'prepare', which writes [train, eval]")),
        Arguments.of("secret value in a recipe key is not a key", "name: t\nseed: 1\napi_key: sk-123\nstages: []\n",
            List.of("bad.yaml:3:1:", "api_key is not a known key")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedRecipesWithALocatedSentence(String title, String yaml, List<String> fragments) {
    assertThatThrownBy(() -> RecipeLoader.parse(yaml, "bad.yaml"))
        .isInstanceOf(RecipeError.class)
        .satisfies(e -> {
          for (String f : fragments) assertThat(e.getMessage()).contains(f);
          assertThat(e.getMessage()).doesNotContain("sk-123").doesNotContain("\tat ");
        });
  }

  /** A stage type that reads earlier stages, to check references without a real stage. */
  record Reader(String name, List<String> inputs) implements StageSpec {
    @Override
    public String type() {
      return "reader";
    }

    @Override
    public void validate(Checks checks) {}
  }

  @Test
  void referencesMustNameAnEarlierStageAndOneOfItsSplits() {
    PrepareSpec prepare = new PrepareSpec(null, new CountdownSource(5, null, null, null, null, null, null), 1, null, null);
    Recipe ok = new Recipe("t", 1L, null, List.of(prepare, new Reader("r", List.of("prepare.eval"))));
    Checks c = new Checks();
    ok.validate(c);
    assertThat(c.problems()).isEmpty();

    Recipe bad = new Recipe("t", 1L, null, List.of(
        new Reader("early", List.of("prepare")), prepare,
        new Reader("r", List.of("prepre")), new Reader("s", List.of("prepare.test"))));
    Checks b = new Checks();
    bad.validate(b);
    assertThat(b.problems()).extracting(Checks.Problem::path).containsExactly("stages[0].from", "stages[2].from", "stages[3].from");
    assertThat(b.problems().get(0).message()).contains("'prepare', which is not an earlier stage");
    assertThat(b.problems().get(1).message()).contains("did you mean 'prepare'");
    assertThat(b.problems().get(2).message()).contains("split 'test' of stage 'prepare', which writes [train, eval]");
  }

  @Test
  void suggestsOnlyCloseNames() {
    assertThat(Suggest.nearest("learning_rat", List.of("learning_rate", "seed"))).contains("learning_rate");
    assertThat(Suggest.nearest("zzzzzz", List.of("learning_rate", "seed"))).isEmpty();
  }
}
